"""Co-designed curricula: proposals and their workflow, course materials, and the feedback loop."""
