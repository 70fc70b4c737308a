"""ASN records, managed by admins: the list, the form (NIP, status, golongan, position,
supervisor) and the export."""
