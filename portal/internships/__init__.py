"""Internships (magang): positions, applications, placements (DOMAIN.md §5, issue 6)."""
