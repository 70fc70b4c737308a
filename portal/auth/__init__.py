"""Accounts, roles, sign-in and registration."""
