"""Registrations for a batch: registering, nominating, the supervisor's decision, the waiting list."""
