"""The weekly cycle: the bulletin and its forms, each team's status, the digest, history and
export, and the scheduled jobs.
"""
