"""Recommendation tracker: models."""
