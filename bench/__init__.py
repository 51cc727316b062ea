"""Benchmarks: request latency, cold start, the web endpoint, local speech, timing fidelity."""
