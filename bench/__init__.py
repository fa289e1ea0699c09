"""Benchmarks run by hand (``python -m bench.fanout``, ``python -m bench.ack_latency``)."""
