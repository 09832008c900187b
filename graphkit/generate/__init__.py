"""Synthetic worlds in netscan's input format, with an answer key (truth.csv) for testing."""

from graphkit.generate.world import WorldSummary, generate_world

__all__ = ["WorldSummary", "generate_world"]
