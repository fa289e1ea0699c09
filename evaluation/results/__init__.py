"""A campaign's results: response rates, each question's figures, the open data and its
documents.
"""
