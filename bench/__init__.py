"""Benchmarks on the standard runbook-N workload (../shared/BENCH.md)."""
