"""`jiandu bench-load`: signed-in users browse a production server on loopback while a large delivery imports,
a full scan runs and the task consumer is killed with -9 (docs/benchmarks.md, "Load")."""
