"""Co-signed guidance sessions (DOMAIN.md §5.5): logged by the mentor, confirmed by the student."""
