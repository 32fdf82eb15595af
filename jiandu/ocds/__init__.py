"""Open Contracting Data Standard (OCDS) adapter: read, compile, map to the platform, and compute OCP red flags.

Framework-free (no Django). See docs/ocds.md.
"""
