"""Dynamics: semantics, percolation, trap spaces, attractors, state-transition graphs,
simulation."""
