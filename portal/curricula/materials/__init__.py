"""Course materials of a proposal: add, revise (immutable versions), delete, download."""
