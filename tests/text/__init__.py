"""Tests of the pure name normalisation and matching core."""
