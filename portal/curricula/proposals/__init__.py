"""Proposals: authoring, co-authors and evidence, the review workflow, frozen versions."""
