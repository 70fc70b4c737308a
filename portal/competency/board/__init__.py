"""The demand board: where ASN fall below their standard, per OPD × competency × position kind."""
