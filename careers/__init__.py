"""Students' profiles, career entries of every kind, evidence files, the review workflow,
the organisation directory, and (later) imports from campus systems."""
