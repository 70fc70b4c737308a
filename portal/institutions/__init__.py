"""Universities and city agencies (OPD)."""
