"""Benchmarks: this client against the official openai SDK and raw httpx (``make bench``)."""
