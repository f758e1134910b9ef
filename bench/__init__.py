"""Benchmarks: each prints its figures as ratios against a baseline measured in
the same process or browser. `python -m bench` runs them all."""
