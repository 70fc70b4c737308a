"""The JP ledger (DOMAIN.md §2.5–2.6): records, verification, the conversion table, SIASN export, reminders."""
