"""The visitor's home page, the dashboards and the language switch."""
