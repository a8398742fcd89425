"""Recommendation tracker."""
