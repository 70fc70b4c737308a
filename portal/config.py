"""Configuration defaults.

Layering (see CONVENTIONS.md §3): these defaults, then ``instance/config.py``, then ``PORTAL_*``
environment variables, then the ``test_config`` passed to :func:`portal.create_app`.
Nothing here reads the environment at import time and nothing here is a secret.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Marks the development key, so production start-up can refuse it.
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105  (a marker that is refused in production)


class Config:
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # default computed from instance_path
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False

    # Languages and time (DOMAIN: Indonesian first, times in Asia/Jakarta)
    LANGUAGES = ("id", "en")
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")

    # Pages
    BOOTSTRAP_SERVE_LOCAL = True
    PAGE_SIZE = 20

    # Sessions and cookies (QUALITY.md G7, G13; pitfalls 1 and 3)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session: long forms are not lost
    HSTS_ENABLED = False

    # Uploads and request sizes
    # A request may carry the largest course material plus the rest of its form.
    MAX_CONTENT_LENGTH = 26 * 1024 * 1024
    # Course materials (PDF, DOCX, PPTX, XLSX, images, MP4): largest file accepted.
    MATERIAL_MAX_BYTES = 25 * 1024 * 1024
    # Material feedback: averages shown from this many ratings; "needs improvement" when the
    # average is below the threshold over at least FLAG ratings.
    FEEDBACK_MIN_RATINGS_FOR_AVERAGE = 3
    FEEDBACK_MIN_RATINGS_FOR_FLAG = 5
    FEEDBACK_IMPROVEMENT_THRESHOLD = 3.0
    UPLOAD_FOLDER: str | None = None  # default: <instance>/uploads

    # Rate limits (G14): memory:// in one process, a Redis URL for several instances
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT = "10 per 15 minutes"
    LOGIN_IP_LIMIT = "100 per 15 minutes"
    SENSITIVE_FORM_LIMIT = "20 per hour"
    # Registration and invitation POSTs per address, every one counted (a valid one hashes a
    # password; a campus behind one NAT address may need more); invitation and reset links
    # answered "no longer valid", per address, both kinds together (a token guess enumerates).
    REGISTRATION_LIMIT = "20 per hour"
    INVITATION_LIMIT = "20 per hour"
    LINK_GUESS_LIMIT = "20 per hour"
    # Number of trusted reverse proxies in front of the app (ProxyFix x_for); 0 = none.
    PROXY_FIX_X_FOR = 0

    # Tokens sent by e-mail
    INVITATION_MAX_AGE = 7 * 24 * 3600
    PASSWORD_RESET_MAX_AGE = 2 * 3600

    # E-mail: the outbox is always used; send-outbox delivers it.
    MAIL_BACKEND = "log"  # "log" (development) or "smtp"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "Sinergi Pemko Medan <no-reply@sinergi.pemkomedan.go.id>"
    MAIL_MAX_ATTEMPTS = 5
    # The portal's public address: every link in an e-mail is built on it (never on the
    # request's Host header). Set it to the real https:// address in production.
    BASE_URL = "http://127.0.0.1:5000"

    # Competency profiles (DOMAIN.md §1.6): JPM capping and category thresholds (meets, still meets)
    JPM_CAP_AT_REQUIRED = True
    JPM_THRESHOLDS = (80.0, 68.0)
    # Demand board: university users see only groups of at least this many ASN.
    BOARD_MIN_GROUP = 5
    # City-wide figures (admin dashboards, demand board, JP compliance) are recomputed at most
    # this often, in seconds, per process (portal/snapshots.py); 0 recomputes them every time.
    CITY_FIGURES_MAX_AGE = 300
    # Roster import: largest file, most rows, and how long an unconfirmed preview stays usable.
    ROSTER_MAX_BYTES = 10 * 1024 * 1024
    ROSTER_MAX_ROWS = 5000
    ROSTER_UPLOAD_MAX_AGE = 2 * 3600

    # Internships (DOMAIN.md §5): open applications a student may hold per period, days an
    # offer stays open, a mentor's default mentee limit, and hours of work per SKS
    # (Permendikbudristek 53/2023; a university may use its own figure).
    INTERNSHIP_MAX_OPEN_APPLICATIONS = 3
    INTERNSHIP_OFFER_DAYS = 7
    MENTOR_DEFAULT_LIMIT = 10
    HOURS_PER_SKS = 45
    # Evaluation (DOMAIN.md §5.3): the mentor's rubric and the student's feedback open this many
    # days before a placement's end; a mentor sees averages of feedback from this many interns.
    INTERNSHIP_EVALUATION_OPENS_DAYS = 14
    INTERNSHIP_FEEDBACK_MIN_INTERNS = 3
    # Certificates: the number's prefix, and failed look-ups allowed per address on the public
    # check page (random numbers are not guessed in bulk).
    CERTIFICATE_PREFIX = "SNG"
    CERTIFICATE_VERIFY_LIMIT = "60 per hour"
    # Official numbers per kind (placeholders in portal/certificates/numbering.py; an empty
    # pattern keeps the random SNG-2026-7KQ4-M9XD numbers, which nobody can guess). Checked at
    # start-up. Look-ups of running numbers count against the limit above.
    CERTIFICATE_NUMBER_TRAINING = "{seq:04d}/STTPP/BKPSDM/{roman_month}/{year}"
    CERTIFICATE_NUMBER_INTERNSHIP = ""
    CERTIFICATE_NUMBER_RECOGNITION = ""
    # The official who signs training certificates (STTPP), copied onto each certificate when it
    # is issued: name with titles, NIP (18 digits) and position. Empty: no signature block.
    CERTIFICATE_SIGNER_NAME = ""
    CERTIFICATE_SIGNER_NIP = ""
    CERTIFICATE_SIGNER_POSITION = ""
    # Trainings (issue 5): check-in opens this many minutes before a session starts; a training
    # is completed with at least this share of its sessions attended (and the post-test passed).
    TRAINING_CHECKIN_GRACE_MINUTES = 15
    TRAINING_MIN_ATTENDANCE = 0.8
    # Pre/post tests: the pass mark of a post-test, in percent of the questions answered right.
    TRAINING_POST_TEST_PASS_SCORE = 70
    # Kirkpatrick L3 (DOMAIN.md §3): the behaviour forms go out this many days after completion,
    # with a reminder every N days until answered.
    TRAINING_L3_AFTER_DAYS = 90
    TRAINING_L3_REMINDER_DAYS = 7

    # JP ledger (DOMAIN.md §2.1, §2.6): yearly target per ASN. PP 11/2017 sets at least 20 JP for
    # PNS (CPNS too). For PPPK the old rule (PP 49/2018) was a *cap* of 24 JP per contract year,
    # not a minimum; UU 20/2023 equalises rights, so the default asks the same 20 JP of PPPK
    # and BKPSDM can change it here. Quarter milestones are cumulative percent of the target
    # (Q1 25 % … Q4 100 %: 5, 10, 15, 20 JP for a 20 JP target).
    JP_TARGET_PNS = 20
    # DOMAIN.md §2.2: 1 JP = 45 minutes; a training batch credits its sessions' time in JP of
    # this many minutes (portal/trainings/ledger/schedule.py).
    JP_MINUTES = 45
    JP_TARGET_PPPK = 20
    JP_QUARTER_SHARES = (25, 50, 75, 100)
    # Daily reminders (``send-reminders``): a student is reminded after this many working days
    # without a logbook entry; an evaluator this many days before a placement's end; a student
    # this many days before their offer expires.
    REMINDER_LOGBOOK_DAYS = 3
    REMINDER_EVALUATION_DAYS = 7
    REMINDER_OFFER_DAYS = 2

    # Personal data (UU PDP, DOMAIN.md §8): the data protection officer's address shown in the
    # privacy notice, the notice's version (recorded with every consent: change it when the
    # notice changes), and the hours an access/correction/deletion request has (Pasal 30, 32).
    PRIVACY_CONTACT_EMAIL = "ppdp@pemkomedan.go.id"
    PRIVACY_NOTICE_VERSION = "2026-12"
    PRIVACY_REQUEST_HOURS = 72
    # Retention per record type in months (UU PDP Pasal 42–44): ``None`` uses the defaults of
    # the one table, ``RECORD_TYPES`` in portal/privacy/retention.py (each with its legal reason);
    # a dict ``{type: months or None}`` replaces that table (a type left out is kept).
    # ``flask --app portal purge`` (daily) anonymises or deletes what is past its period.
    PRIVACY_RETENTION = None

    # argon2id cost (RFC 9106 second recommendation: t=3, m=64 MiB); tests lower it for speed.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    PASSWORD_MIN_LENGTH = 8
    PASSWORD_MAX_LENGTH = 128


class ProductionConfig:
    """Overrides for a deployment behind HTTPS (``PORTAL_ENV=production``)."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_ENABLED = True
    PREFERRED_URL_SCHEME = "https"
