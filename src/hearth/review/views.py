"""The review site's view-models: each `AgendaItem` as the dict the templates read.

One view per item, shared by every page that shows it: labels and dates
localized through Babel, a channel post's preview as its platform shows it
(rich text, media, count against the limit), a hub post's summary and
thumbnail. Which media the views show is collected here, for the pages to copy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel.dates import format_date, format_skeleton, get_day_names
from markupsafe import Markup, escape

from ..channels import text as channel_text
from ..assemble.site import Site
from ..channels.kinds import channel_label, rules_for
from ..diagnostics import LEVEL_RANK, Diagnostic
from .model import STATUS_LABELS, AgendaItem, count_label, level_counts

DEFAULT_LOCALE = "en"
# Lane abbreviations of what is not a channel kind; a kind's own is in channels/kinds.py
OTHER_ABBREVIATIONS = {"post": "Hub", "event": "Event"}
KIND_LABELS = {"post": "Hub post", "channel-post": "Channel post", "event": "Event",
               "campaign": "Campaign", "blackout": "Blackout"}


def _locale(site: Site) -> str:
    return site.settings.site.language or DEFAULT_LOCALE


def _safe_locale(lang: str):
    import babel

    try:
        return babel.Locale.parse(lang.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse(DEFAULT_LOCALE)


class Labels:
    """Localized dates, through Babel, cached per value (a month page asks often)."""

    def __init__(self, lang: str):
        self.locale = _safe_locale(lang)
        self._cache: dict[tuple, str] = {}

    def _get(self, key: tuple, make) -> str:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def day(self, d: date) -> str:            # "Mon, Nov 16"
        return self._get(("day", d), lambda: format_skeleton("MMMEd", d, locale=self.locale))

    def day_full(self, d: date) -> str:       # "Monday, November 16, 2026"
        return self._get(("full", d), lambda: format_date(d, "full", locale=self.locale))

    def day_short(self, d: date) -> str:      # "Nov 16"
        return self._get(("short", d), lambda: format_skeleton("MMMd", d, locale=self.locale))

    def day_year(self, d: date) -> str:       # "Nov 16, 2026"
        return self._get(("year", d), lambda: format_skeleton("yMMMd", d, locale=self.locale))

    def month(self, d: date) -> str:          # "November 2026", "Novembre 2026": a heading
        def make() -> str:
            text = format_skeleton("yMMMM", d, locale=self.locale)
            return text[:1].upper() + text[1:]
        return self._get(("month", d.year, d.month), make)

    def time(self, moment: datetime) -> str:  # "09:30", "9:30" (a planner reads 24-hour clocks)
        return self._get(("time", moment.hour, moment.minute),
                         lambda: format_skeleton("Hm", moment, locale=self.locale))

    def weekdays(self, width: str = "abbreviated") -> list[str]:
        names = get_day_names(width, locale=self.locale)
        return [names[i] for i in range(7)]

    def span(self, first: date, last: date) -> str:
        if first == last:
            return self.day(first)
        return f"{self.day_short(first)} – {self.day_short(last)}"


@lru_cache(maxsize=1 << 14)
def rich_text(text: str, kind: str) -> Markup:
    """A channel text as the platform shows it: links, #hashtags and @mentions
    styled, line breaks kept, long URLs shortened where the platform does.
    Pure, so remembered: a one-part text is shown as the whole and as its part."""
    urls = channel_text.platform_link_spans(kind, text)   # the URLs the platform links
    marks: list[tuple[int, int, str]] = [(s, e, "url") for s, e in urls]
    marks += [(m.start(), m.end(), "tag") for m in channel_text.hashtag_matches(text)]
    marks += [(m.start(), m.end(), "mention") for m in channel_text.mention_matches(text, urls)]
    marks.sort()
    out: list[str] = []
    pos = 0
    for start, end, what in marks:
        if start < pos:
            continue
        out.append(str(_plain(text[pos:start], kind)))
        piece = text[start:end]
        if what == "url":
            out.append(f'<a class="pv-link" href="{escape(piece)}" rel="nofollow noopener">'
                       f"{escape(_display_url(piece, kind))}</a>")
        else:
            out.append(f'<span class="pv-{what}">{escape(piece)}</span>')
        pos = end
    out.append(str(_plain(text[pos:], kind)))
    return Markup("".join(out))


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_SHORTCODE = re.compile(r":([a-z0-9_+-]+):")
# The shortcodes writers use most in announcements; Discord and Slack show them as emoji.
SHORTCODES = {"snowflake": "❄️", "tada": "🎉", "seedling": "🌱", "sunflower": "🌻", "calendar": "📆",
              "date": "📅", "sparkles": "✨", "wave": "👋", "point_right": "👉", "heart": "❤️",
              "star": "⭐", "rocket": "🚀", "white_check_mark": "✅", "warning": "⚠️", "mega": "📣",
              "loudspeaker": "📢", "pushpin": "📌", "link": "🔗", "camera": "📷", "herb": "🌿",
              "evergreen_tree": "🌲", "tomato": "🍅", "raised_hands": "🙌", "clap": "👏"}


def _plain(text: str, kind: str) -> Markup:
    html = str(escape(text))
    if kind == "discord":                         # Discord renders its Markdown and shortcodes
        html = _BOLD.sub(r"<strong>\1</strong>", html)
        html = _SHORTCODE.sub(lambda m: SHORTCODES.get(m.group(1), m.group(0)), html)
    return Markup(html)


def _excerpt(text: str, kind: str) -> str:
    """The text as plain words for a week card: markup and shortcodes resolved."""
    if kind == "discord":
        text = _SHORTCODE.sub(lambda m: SHORTCODES.get(m.group(1), m.group(0)), _BOLD.sub(r"\1", text))
    return " ".join(text.split())


def _display_url(url: str, kind: str) -> str:
    if kind not in ("mastodon", "x", "bluesky", "threads"):
        return url
    shown = re.sub(r"^https?://(www\.)?", "", url)
    return shown if len(shown) <= 30 else shown[:29] + "…"


def _handle(title: str) -> str:
    return "@" + (re.sub(r"[^0-9a-z]+", "", title.casefold()) or "community")


class Views:
    """Turns items into the dicts templates read; one per item, shared by every page.

    A view is made when a page first asks for it: the review pages show a quarter
    back and the future, so most of a long history's items never need one (at
    10,000 posts, nine in ten). `place(item, view)` adds what the pages know of
    the item (its week, its anchor). Which media the views show is collected for
    every item, shown or not, as the pages copy them."""

    def __init__(self, site: Site, items: Sequence[AgendaItem],
                 place: Callable[[AgendaItem, dict[str, Any]], None] | None = None):
        self.site = site
        self.labels = Labels(_locale(site))
        calendar = site.calendar
        self.campaigns = dict(calendar.campaigns) if calendar is not None else {}
        self.media = set(site.sources.media) | set(site.bundle_files)
        self.used_media: set[str] = {path for item in items for path in self._media_of(item)}
        # one casing everywhere: a channel named after its kind reads as the kind's label
        self.channel_labels = {c.name: channel_label(c.name, c.kind)
                               for c in (calendar.channels if calendar is not None else ())}
        self.repository = site.sources.repository
        self._place = place
        self.views: dict[str, dict[str, Any]] = {}

    def __getitem__(self, item: AgendaItem) -> dict[str, Any]:
        view = self.views.get(item.key)
        if view is None:
            view = self.views[item.key] = self._view(item)
            if self._place is not None:
                self._place(item, view)
        return view

    def _media_of(self, item: AgendaItem) -> list[str]:
        """The media files an item's view shows (a post's thumbnail, a channel post's media)."""
        if item.kind == "post" and item.post is not None:
            image = item.post.image
            return [image.path] if image is not None and image.path in self.media else []
        if item.kind == "channel-post" and item.channel_post is not None:
            return [ref.path for ref in item.channel_post.media if ref.path in self.media]
        return []

    def _view(self, item: AgendaItem) -> dict[str, Any]:
        labels = self.labels
        campaign = self.campaigns.get(item.campaign) if item.campaign else None
        if isinstance(item.start, datetime):
            time_label = labels.time(item.start)
            if isinstance(item.end, datetime) and item.end > item.start:
                time_label += f"–{labels.time(item.end)}"
        else:
            time_label = "All day"
        counts = level_counts(item.diagnostics)
        view: dict[str, Any] = {
            "key": item.key, "kind": item.kind, "kind_label": KIND_LABELS[item.kind],
            "title": item.title, "lane": item.lane or "", "lane_label": self.lane_label(item),
            "lane_abbr": self.lane_abbr(item),
            "color": item.color, "status": item.status or "",
            "status_label": STATUS_LABELS.get(item.status or "", ""),
            "campaign": item.campaign or "", "campaign_title": campaign.title if campaign else "",
            "campaign_color": campaign.color if campaign else "",
            "source": item.source, "url": item.url,
            "source_url": self.repository.file_url(item.source) if self.repository else "", "start_iso": item.start.isoformat(),
            "date_label": labels.day(item.first_day), "date_full": labels.day_full(item.first_day),
            "span_label": labels.span(item.first_day, item.last_day),
            "time_label": time_label, "all_day": item.all_day,
            "first_day": item.first_day.isoformat(), "last_day": item.last_day.isoformat(),
            "days": (item.last_day - item.first_day).days + 1,
            "detail": item.detail, "channels": list(item.channels),
            "problems": [problem_view(d) for d in sorted(item.diagnostics,
                                                          key=lambda d: (-LEVEL_RANK[d.level], d.sort_key))],
            "counts": counts, "level": item.level or "",
            "problem_label": count_label(counts),
            "preview": self._preview(item) if item.kind == "channel-post" else None,
            "thumb": None, "summary": "", "event": None, "members": 0,
            "sent": self._sent(item),
        }
        if item.post is not None and item.kind == "post":
            view["summary"] = self.site.summary(item.post)
            image = item.post.image
            if image is not None and image.path in self.media:
                view["thumb"] = {"path": image.path, "alt": image.alt or ""}
        if item.event is not None:
            event = item.event
            view["event"] = {"location": event.location or "", "online": event.online or "",
                             "rsvp": event.rsvp or "", "recurring": bool(event.rrule),
                             "timezone": str(event.timezone)}
        return view

    def _sent(self, item: AgendaItem) -> dict[str, Any] | None:
        """A channel post `hearth send` sent (the ledger): when, and the live post's link."""
        cp = item.channel_post
        if item.kind != "channel-post" or cp is None:
            return None
        entry = self.site.sources.ledger.get(cp.channel.name, cp.id)
        if entry is None or entry.state != "sent":
            return None
        return {"url": entry.urls[0] if entry.urls else "", "at": entry.sent_at or ""}

    def label(self, channel: str) -> str:
        return self.channel_labels.get(channel, channel)

    def lane_label(self, item: AgendaItem) -> str:
        if item.kind == "channel-post":
            return self.label(item.channel or "")
        if item.kind == "blackout":
            return ", ".join(map(self.label, item.channels)) if item.channels else "all channels"
        return {"post": "Hub", "event": "Event", "campaign": "Campaign"}[item.kind]

    def lane_abbr(self, item: AgendaItem) -> str:
        """A few letters naming the channel on a chip, so colour is never the only clue."""
        if item.kind == "channel-post" and item.channel_post is not None:
            channel = item.channel_post.channel
            if channel.name == channel.kind:
                return rules_for(channel.kind).abbreviation
            return channel.name[:6]
        return OTHER_ABBREVIATIONS.get(item.kind, "")

    def _preview(self, item: AgendaItem) -> dict[str, Any]:
        cp = item.channel_post
        kind = cp.channel.kind
        media = []
        for ref in cp.media:
            present = ref.path in self.media
            media.append({"path": ref.path if present else "", "alt": ref.alt or "",
                          "missing_alt": not (ref.alt or "").strip()})
        limit = cp.limit
        site_title = self.site.settings.site.title
        parts = [{"html": rich_text(text, kind), "text": text, **_counter(count, limit)}
                 for text, count in zip(cp.parts, cp.counts)]
        return {
            "kind": kind, "platform": rules_for(kind).label,
            "named": cp.channel.name != kind,      # a second Mastodon account, say: show its name
            "name": site_title, "handle": _handle(site_title), "initial": (site_title[:1] or "H").upper(),
            "html": rich_text(cp.text, kind), "text": cp.text, "media": media,
            "excerpt": _excerpt(cp.parts[0] if cp.parts else cp.text, kind),
            # a thread: every part is a post with its own counter; the item's is its longest part's
            "thread": cp.is_thread, "parts": parts,
            **_counter(cp.count, limit), "limit": limit, "unit": cp.unit,
            "when": f"{self.labels.day(item.first_day)} · {self.labels.time(item.start)}"  # type: ignore[arg-type]
            if isinstance(item.start, datetime) else "",
            "id": cp.id,
        }


def _counter(count: int, limit: int | None) -> dict[str, Any]:
    """A text's counter as a preview shows it: the count, how far over, the meter."""
    over = limit is not None and count > limit
    return {"count": count, "over": over,
            "over_by": count - limit if over and limit is not None else 0,
            "percent": min(100, round(100 * count / limit)) if limit else 0,
            "near": bool(limit) and not over and count >= 0.9 * limit}  # type: ignore[operator]


def problem_view(d: Diagnostic) -> dict[str, Any]:
    return {"level": d.level, "rule": d.rule, "message": d.message, "path": d.path,
            "line": d.line, "column": d.column, "where": f"{d.path}:{d.line}:{d.column}",
            "text": d.as_text()}
