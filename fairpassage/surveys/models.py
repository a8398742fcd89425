"""Surveys: models."""
