"""Benchmarks (`make bench`): ratios to a floor measured in the same run, never timed tests."""
