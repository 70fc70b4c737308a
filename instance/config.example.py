# Copy to instance/config.py (git-ignored) and adjust. Environment variables PORTAL_<NAME>
# override anything here, e.g. PORTAL_SQLALCHEMY_DATABASE_URI.

# Required outside debug/testing; every worker and every instance must share it.
SECRET_KEY = "replace-with-the-output-of: python -c 'import secrets; print(secrets.token_urlsafe(48))'"

# SQLite (default: instance/portal.sqlite3) or PostgreSQL with psycopg 3:
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://portal:secret@127.0.0.1:5432/portal"

# Rate-limit storage: memory:// for one process; Redis when several workers/instances serve.
# RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/0"

# E-mail: "log" writes e-mails to the log (development); "smtp" delivers them.
# MAIL_BACKEND = "smtp"
# MAIL_SERVER = "smtp.pemkomedan.go.id"
# MAIL_PORT = 587
# MAIL_USE_TLS = True
# MAIL_USERNAME = "sinergi"
# MAIL_PASSWORD = "..."
# BASE_URL = "https://sinergi.pemkomedan.go.id"

# Behind one reverse proxy (nginx): trust exactly one X-Forwarded-For hop.
# PROXY_FIX_X_FOR = 1
