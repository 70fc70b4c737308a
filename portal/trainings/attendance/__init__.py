"""Attendance: the facilitator's sheet, check-in codes, completing a registration."""
