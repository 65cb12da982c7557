"""`hearth import`: a Jekyll or Hugo blog's posts and media moved into a hub.

`jekyll.py` and `hugo.py` each read one kind of site (`plan`) and rewrite one
post's text (`translate`, pure: text in, text and diagnostics out);
`rewrite.py` holds what both share. Nothing here writes: the command does.
"""
