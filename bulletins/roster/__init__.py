"""The roster: cohorts, teams and people, read from a CSV file and imported idempotently."""
