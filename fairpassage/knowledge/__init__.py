"""Worker's guide."""
