"""Evaluation of a placement (DOMAIN.md §5.3): rubric, mentor's scores, DPL's score, the student's view."""
