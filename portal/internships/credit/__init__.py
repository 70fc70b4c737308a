"""Internship credit the way universities grant it (issue 17 point 5, DOMAIN.md §5.1–§5.3): each
university's credit scheme (a semester placement of at least N weeks = M SKS, or H hours = 1 SKS),
its cooperation agreement (PKS), the courses a placement converts into and its letter grades."""
