"""Rendering results for people and for other programs."""
