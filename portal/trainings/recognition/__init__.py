"""Recognition for verified progress (DOMAIN.md §6): rules, proposals, decisions, award nominations."""
