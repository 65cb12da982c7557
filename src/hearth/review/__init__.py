"""The review site and the editorial calendar: what managers see before anything goes out.

- `model`: the site model → `AgendaItem`s, each with the diagnostics that
  concern it (a post's split between the hub post and its channel posts).
- `views`: each item as the dict the templates read (labels, previews).
- `pages`: the pages of `review/` planned as `Output`s (`plan_review`).
- `ics`: the managers' `calendar.ics`.
- `terminal`: the same items as tables and JSON for `hearth calendar` and `hearth queue`.
"""
