"""Shared ground: nothing connected yet."""
