"""The ASN's competency profile, self-assessment and supervisor rating (with the demand board page)."""
