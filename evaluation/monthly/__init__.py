"""The monthly digest for the programme team, and its scheduled job."""
