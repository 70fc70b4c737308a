"""Positions (jabatan) and their competency standards, managed by admins: the list, the form,
the standard and its rule of thumb."""
