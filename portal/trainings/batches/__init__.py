"""Training batches scheduled from published curricula, their sessions, certificates and list exports."""
