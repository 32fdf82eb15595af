"""jiandu (监督): supervision information platform for discipline inspection commissions."""

__version__ = "0.1.0"
