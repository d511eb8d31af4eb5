"""Analyses built on the dynamics: screens and explanations."""
