"""Channel posts, the schedule, queues, events pages and the review site.

attach_calendar: part of assembly (the channel schedule is part of the model).
plan_calendar: part of planning (queue files, events pages, review pages).
"""

from __future__ import annotations

from .assemble import Site


def attach_calendar(site: Site) -> Site:
    return site


def plan_calendar(site: Site) -> list:
    return []
