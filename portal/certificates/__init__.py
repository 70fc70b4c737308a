"""Certificates: one mechanism for every feature that certifies something (internships now,
trainings later): a unique human-friendly number, a PDF with a QR code, a public check page."""
