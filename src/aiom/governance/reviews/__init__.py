"""Reviews and decisions: whose review counts, conflicts, conditions, voiding, pages, API."""
