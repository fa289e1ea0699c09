"""Helpers shared by the tests: databases, the EIG 3 programme, forms, surveys, processes."""
