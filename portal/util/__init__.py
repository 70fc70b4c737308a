"""Helpers written once and used by every feature (CONVENTIONS.md §1): the clock, links, text
cleaning, the feature blueprints' view lists. Nothing here imports a feature."""
