"""Suites that walk every route of the app (access matrix, CSRF, fuzz, headers, i18n, page
query budgets) over the world of tests/support/worlds/crawl.py, built once per module."""
