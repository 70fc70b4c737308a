"""Browser tests: Playwright drives Debian's Chromium against a live server (marker ``e2e``)."""
