"""Stores for the graph: Neo4j (the in-memory default is graphkit.dataset.Dataset)."""
