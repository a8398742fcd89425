"""Worker's guide: models."""
