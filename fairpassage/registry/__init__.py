"""Agency registry."""
