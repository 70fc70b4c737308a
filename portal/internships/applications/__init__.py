"""Applications: applying, the university's endorsement, the OPD's decisions, offers, the queues."""
