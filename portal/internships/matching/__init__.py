"""Matching rounds: a period in matching mode places its whole cohort at once, fairly and
explainably. Students rank up to N positions (their applications, by rank) until the period's
deadline; the university endorses; each OPD scores its applicants (one by one or by criteria)
and may mark some as not acceptable; a city-wide admin previews the match (``algorithm``:
student-proposing deferred acceptance with quotas and the mentors' room, ties by a recorded
seed), then publishes it: offers go out through the application workflow, every other
preference of the round closes with its reason, and the period goes on as a rolling one.
"""
