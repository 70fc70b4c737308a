"""Placements after an accepted offer: the placement page, the logbook and the final report."""
