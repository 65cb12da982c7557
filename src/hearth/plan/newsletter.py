"""Planning newsletter digests: one HTML and one text part per period, and the
newsletter channel's queue file. Pure.

A digest has a subject and a heading that name its period in words, in the
site's language (`November 2026`, `Ноябрь 2026 г.`; `Week 47 of 2026` with its
dates under it), an optional intro the manager writes in
`calendar/newsletter/<period>.md` (see `load/newsletter.py`), the period's
posts that opted in and the upcoming events. Every link to the hub carries
the channel's UTM (`assemble.channel_posts.utm_url`, as in channel texts).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import babel
from babel.dates import format_interval, format_skeleton, tokenize_pattern

from ..assemble.channel_posts import tracked_url, utm_url
from ..assemble.site import Site
from ..calendar import Channel
from ..load.newsletter import NewsletterIntro
from ..markup import render_markdown
from ..model import Post
from .context import base_context, post_view
from .events import event_view
from .outputs import Output
from .queues import generated_stamp, iso, json_bytes

_HREF = re.compile(r'href="([^"]*)"')
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
# A Markdown link or image, or a bare URL (maybe in <…>): the text part's links.
_TEXT_LINK = re.compile(r'(!?)\[([^\]]*)\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)|<?(https?://[^\s<>()]+)>?')


def plan_newsletters(site: Site) -> list[Output]:
    outputs: list[Output] = []
    for channel in site.calendar.channels:
        if channel.kind == "newsletter":
            outputs += plan_newsletter(site, channel)
    return outputs


def period_of(moment: datetime | date, every: str) -> tuple[str, date, date]:
    """(name, first day, day after) of the newsletter period holding `moment`."""
    day = moment.date() if isinstance(moment, datetime) else moment
    if every == "week":
        start = day - timedelta(days=day.weekday())
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}", start, start + timedelta(days=7)
    start = day.replace(day=1)
    after = (start + timedelta(days=32)).replace(day=1)
    return f"{start:%Y-%m}", start, after


def period_start(name: str) -> date:
    """The first day of a period named `2026-11` or `2026-W47`."""
    if "-W" in name:
        year, week = name.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    return date(int(name[:4]), int(name[5:7]), 1)


def _locale(lang: str) -> babel.Locale:
    try:
        return babel.Locale.parse(lang.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse("en")


def period_words(every: str, start: date, lang: str) -> str:
    """The period as readers of `lang` say it, capitalized for a heading:
    `November 2026` / `Ноябрь 2026 г.`, `Week 47 of 2026` / `47-я неделя 2026 г.`
    (the ISO week, with the locale's own pattern for week-of-year)."""
    locale = _locale(lang)
    if every == "week":
        year, week, _ = start.isocalendar()
        pattern = locale.datetime_skeletons.get("yw") or locale.datetime_skeletons.get("Yw")
        if pattern is None:
            text = f"{year}-W{week:02d}"
        else:
            pieces = []
            for kind, value in tokenize_pattern(getattr(pattern, "pattern", str(pattern))):
                if kind == "chars":
                    pieces.append(value)
                elif value[0] == "w":
                    pieces.append(str(week))
                elif value[0] in "yY":
                    pieces.append(str(year))
            text = "".join(pieces)
    else:
        text = format_skeleton("yMMMM", start, locale=locale)
    return text[:1].upper() + text[1:]


def period_dates(start: date, end: date, lang: str) -> str:
    """`Nov 16 – 22, 2026` / `16—22 нояб. 2026 г.`: a week's days under its heading."""
    return format_interval(start, end, "yMMMd", locale=_locale(lang))


def absolute_link(url: str, base: str) -> str:
    """A link as an email needs it: `/x/` and `x/` lead into the hub (at its
    sub-path, as in posts); absolute URLs, `#…` and `mailto:` stay."""
    if url.startswith("#") or urlsplit(url).scheme:
        return url
    if url.startswith("/") and not url.startswith("//"):
        path = urlsplit(base).path
        return urljoin(base, url) if url.startswith(path) and path != "/" else base + url[1:]
    return urljoin(base, url)


def tag_hub_links(markup: str, base: str, utm: dict[str, str]) -> str:
    """Every `href` of rendered HTML made absolute, and the channel's UTM on
    those that lead to the hub (an email has no page to be relative to)."""
    def tag(match: re.Match) -> str:
        url = html.unescape(match.group(1))
        absolute = absolute_link(url, base)
        if absolute.startswith(base):
            absolute = utm_url(absolute, utm)
        return match.group(0) if absolute == url else f'href="{html.escape(absolute)}"'
    return _HREF.sub(tag, _HEADERLINK.sub("", markup))


def plain_intro(markdown: str, base: str, utm: dict[str, str]) -> str:
    """The intro for the text part: its Markdown, links written out as
    `label (URL)`, hub links absolute and tagged with the channel's UTM."""
    def link(url: str) -> str:
        trail = ""
        while url and url[-1] in ".,;:!?":
            url, trail = url[:-1], url[-1] + trail
        absolute = absolute_link(url, base)
        return (utm_url(absolute, utm) if absolute.startswith(base) else absolute) + trail

    def rewrite(match: re.Match) -> str:
        if match.group(4):
            return link(match.group(4))
        if match.group(1):                       # an image: its alt text
            return match.group(2)
        return f"{match.group(2)} ({link(match.group(3))})"
    return _TEXT_LINK.sub(rewrite, markdown)


def newsletter_items(site: Site, channel: Channel) -> list[dict[str, Any]]:
    """A newsletter channel's queue items: one per digest."""
    for output in plan_newsletter(site, channel):
        if output.path == f"queues/{channel.name}.json":
            data = output.data() if callable(output.data) else output.data
            return json.loads(data)["items"]
    return []


def channel_intros(site: Site, channel: Channel) -> dict[str, NewsletterIntro]:
    """Period → the intro this channel uses: its own file over the shared one."""
    every = channel.every or "month"
    found: dict[str, NewsletterIntro] = {}
    for intro in sorted(site.sources.newsletter_intros, key=lambda i: i.channel is not None):
        if intro.channel in (None, channel.name) and ("-W" in intro.period) == (every == "week"):
            found[intro.period] = intro
    return found


def plan_newsletter(site: Site, channel: Channel) -> list[Output]:
    calendar = site.calendar
    s = site.settings.site
    zone = s.zone
    every = channel.every or "month"
    intros = channel_intros(site, channel)
    periods: dict[str, list[Post]] = {name: [] for name in intros}
    for post in calendar.newsletter_posts.get(channel.name, ()):
        if post.status != "ready" or post.date is None:
            continue
        periods.setdefault(period_of(post.date.astimezone(zone), every)[0], []).append(post)
    outputs = []
    items = []
    base = s.base_url
    utm = dict(channel.utm)
    for name, posts in sorted(periods.items()):
        _, start, after = period_of(period_start(name), every)
        end = after - timedelta(days=1)
        posts = sorted(posts, key=lambda p: (p.date, p.path))
        send = datetime.combine(after, channel.slots[0].time if channel.slots else time(9), zone)
        window_end = datetime.combine(after, time(), zone) + timedelta(days=45)
        events = []
        for event in calendar.public_events():
            for a, b in event.occurrences(datetime.combine(after, time(), zone), window_end)[:1]:
                view = event_view(site, event, a, b)
                events.append({**view, "link": utm_url(view["absolute_url"], utm)})
        events.sort(key=lambda v: (v["start"], v["slug"]))
        intro = intros.get(name)
        heading = period_words(every, start, s.language)
        subject = intro.subject if intro and intro.subject else f"{s.title} · {heading}"
        context = {**base_context(site), "period": name, "every": every, "start": start,
                   "end": end, "channel": channel.name, "subject": subject, "heading": heading,
                   "dates": period_dates(start, end, s.language) if every == "week" else "",
                   "intro_html": (tag_hub_links(render_markdown(intro.body, base).html, base, utm)
                                  if intro and intro.body else ""),
                   "intro_text": plain_intro(intro.body, base, utm) if intro and intro.body else "",
                   "posts": [{**post_view(site, p).fields(), "link": tracked_url(site, p, channel)}
                             for p in posts],
                   "events": events, "home": utm_url(base, utm), "canonical": base}
        deps = frozenset({p.path for p in posts} | {"calendar/*", "hearth.toml"})
        outputs.append(Output(f"queues/{channel.name}/{name}.html", "newsletter.html", context, deps=deps))
        outputs.append(Output(f"queues/{channel.name}/{name}.txt", "newsletter.txt", context, deps=deps))
        payload = json.dumps([name, subject, intro.body if intro else "", [p.path for p in posts],
                              [e["slug"] for e in events]])
        items.append({"id": f"{channel.name}:{name}",
                      "revision": hashlib.sha256(payload.encode()).hexdigest()[:16],
                      "at": iso(send), "text": subject, "subject": subject,
                      "url": utm_url(base, utm), "media": [],
                      "source": f"queues/{channel.name}/{name}.html",
                      "campaign": None, "html": f"{channel.name}/{name}.html",
                      "plain": f"{channel.name}/{name}.txt"})
    outputs.append(Output(f"queues/{channel.name}.json", data=json_bytes({
        "channel": channel.name, "kind": channel.kind, "generated": generated_stamp(site), "items": items}),
        deps=frozenset({"*"})))
    return outputs
