"""Shared types: the enums and plain records that rules return, the store keeps and views render.

The bottom of the house: it imports nothing of the project, so every layer above may import it.
"""
