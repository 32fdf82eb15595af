"""Operations: the production server (`jiandu serve`), the health endpoint, the load benchmark.

Top floor: it reads the audit app (anchor age) and the task queue, and nothing below imports it.
"""
