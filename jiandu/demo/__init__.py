"""The demo city: a fictitious prefecture whose departments deliver data in the contract format, with
planted red-flag cases and ground truth (see docs/demo-city.md)."""

from jiandu.demo.generate import GenerationSummary, generate

__all__ = ["GenerationSummary", "generate"]
