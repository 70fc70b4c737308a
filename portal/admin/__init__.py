"""Cross-feature administration: institutions, accounts, the audit log."""
