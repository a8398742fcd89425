"""Organisations, memberships and roles, the audit trail, encrypted fields, errors."""
