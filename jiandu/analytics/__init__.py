"""Framework-free set-based work: contract, identifiers, resolution, rules.

Nothing in this package imports Django, so the same code can run in a worker, a notebook
or on a distributed engine.
"""
