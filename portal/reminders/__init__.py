"""Daily reminders that give the days left (``flask --app portal send-reminders``), idempotent:
each reminder is recorded, so a second run the same day sends nothing twice."""
