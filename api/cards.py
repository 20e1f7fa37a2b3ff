"""Shared ground: filled by its part of issue 15."""

ROUTES = []
