"""Stage 2, assemble: records → one immutable site model.

`site.assemble` makes the `Site` (what is public, URLs, bodies, tags);
`channel_posts.attach_calendar` adds the calendar model: every channel text
filled, counted and placed by `schedule` (pure).
"""
