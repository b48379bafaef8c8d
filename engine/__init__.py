"""Cueflow's engine: the runbook model, its storage, the executor and notifications."""
