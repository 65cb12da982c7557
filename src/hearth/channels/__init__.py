"""Channel kinds: the registry and how each platform counts, links and exports a text."""
