"""Trainings and workshops, the JP ledger, evaluation and recognition (issue 5)."""
