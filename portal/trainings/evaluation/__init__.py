"""Kirkpatrick evaluation: the L1 survey, the follow-up plan (RTL), L3 forms, a curriculum's impact."""
