"""Analyses on the loaded graph: ownership, intermediaries."""
