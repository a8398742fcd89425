"""Agency registry: models."""
