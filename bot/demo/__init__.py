"""``bulletins demo``: the whole product played on a fresh database with a sample cohort,
and written down as pages.
"""
