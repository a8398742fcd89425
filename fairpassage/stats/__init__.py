"""Pure survey cleaning and SDG 10.7.1 estimators (no Django)."""
