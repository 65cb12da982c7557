"""`hearth send`: the due queue items out to the platforms, once each (see run.py)."""
