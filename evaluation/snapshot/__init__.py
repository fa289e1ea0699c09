"""The evaluation snapshot: a cohort's assessment as of a date, its sections, documents and
open data.
"""
