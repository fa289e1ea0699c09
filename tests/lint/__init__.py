"""The code base's own rules: import contracts and lint."""
