"""The parts of :mod:`mtorlogic.analysis.explain`: causal derivations by percolation
(:mod:`.derive`), loops (:mod:`.loops`) and the readable forms (:mod:`.render`)."""
