"""Base layout, public pages, error pages and static files."""
