"""The pure domain of Cueflow: graph, validation, run state machine, schedule, post-mortem.

Rule: nothing under `engine.model` does I/O. It imports nothing of Flask,
SQLAlchemy, Redis or RQ, opens no connection and never reads the clock (callers
pass `now`). Plain dataclasses and enums in, plain values out. A test enforces it.
"""
