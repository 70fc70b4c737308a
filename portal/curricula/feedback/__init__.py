"""The feedback loop: learners rate and flag materials, authors work flags to a close."""
