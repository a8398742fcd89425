"""Pure name normalisation and matching for Vietnamese and Japanese (no Django)."""
