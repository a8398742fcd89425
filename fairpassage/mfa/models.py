"""Second factor: models."""
