#!/usr/bin/env python3
"""Generate a benchmark hub of N posts, and the same posts for Pelican and Hugo.

    python bench/generate.py N OUT_DIR [--seed 2026]

Writes, deterministically (same N and seed → byte-identical files):

    OUT_DIR/hub/      a Hearth hub: hearth.toml, content/posts/*.md (front matter with
                      tags, summary, campaign, channel texts for mastodon, bluesky and
                      linkedin), calendar/channels.yml, 2 campaigns, 3 events (one
                      recurring), guidelines/ (a page and a small rules.yml)
    OUT_DIR/pelican/  content/*.md with Pelican metadata, pelicanconf.py (no cache) and
                      pelicanconf_cached.py (content cache on); built-in theme
    OUT_DIR/hugo/     hugo.toml, content/posts/*.md with YAML front matter, and a small
                      self-written layouts/ set (no theme download)

Bodies are 400–900 words of Markdown made from word lists: paragraphs, `##`
headings, lists, inline and site links, the occasional code block, table and
quote. Dates spread over ~3 years before 2026-11-15, all in the past for
`--now 2026-11-21T12:00:00Z`, so every post is public in all three generators.

Standard library only.
"""

# ruff: noqa: SIM905 (the word lists read best as text)
from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BASE_URL = "https://bench.example.org/"
SITE_TITLE = "Bench Garden Community"
TIMEZONE = "Europe/Rome"
ZONE = ZoneInfo(TIMEZONE)
FIRST_DAY = datetime(2023, 11, 16, tzinfo=ZONE)
LAST_DAY = datetime(2026, 11, 14, tzinfo=ZONE)
SPAN_DAYS = (LAST_DAY - FIRST_DAY).days          # ~3 years
PER_PAGE = 10
FEED_SIZE = 20
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CHANNEL_SHARE = {"mastodon": 0.9, "bluesky": 0.8, "linkedin": 0.4}
CHANNEL_MINUTE = {"mastodon": 0, "bluesky": 15, "linkedin": 30}
BLUESKY_LIMIT = 300
BLUESKY_MARGIN = 30      # room for any query parameter Hearth may add to {url}

# --- word lists ---------------------------------------------------------------

NOUNS = """garden plot bed seedling harvest compost rota volunteer member neighbour
community meetup workshop call newsletter channel post schedule calendar release
feature roadmap app server database backup migration translation guide policy
moderator thread reply question answer idea proposal vote budget grant sponsor
partner school library kitchen table shed tool wheelbarrow hose pump tap rainwater
barrel greenhouse tunnel trellis fence gate path mulch soil worm beetle bee
butterfly pollinator flower herb tomato bean pea squash pumpkin courgette lettuce
kale chard onion garlic potato carrot beetroot radish strawberry raspberry apple
pear plum cherry fig olive vine seed packet label map sensor dashboard chart report
season spring summer autumn winter frost drought storm shade sunlight week month
weekend evening morning afternoon deadline milestone sprint issue bug fix patch test
document slide recording transcript caption interpreter venue room hall courtyard
balcony rooftop allotment orchard meadow hedge pond well river bridge street square
market stall bakery cafe family child parent grandparent student teacher neighbour
newcomer organiser speaker host guest team group circle committee board charter
agreement license contributor maintainer reviewer designer developer writer editor
photographer illustrator poster flyer banner sign notice inbox form survey result
feedback comment suggestion request invitation ticket badge sticker mug shirt
bicycle cargo trailer van train bus tram ferry journey route stop timetable
lunch soup bread salad jam pickle recipe jar basket crate box bag bucket glove
spade fork rake hoe trowel shears twine cane net cloche pot tray compost heap""".split()

ADJECTIVES = """small large quiet busy shared public private local regional new old
early late warm cold dry wet sunny shady green bright gentle careful simple clear
open friendly patient curious practical useful helpful reliable steady fresh ripe
young mature seasonal weekly monthly yearly first last next previous main spare
extra short long narrow wide deep shallow raised sunken hidden visible printed digital
online offline accessible inclusive multilingual volunteer-run community-owned
slow fast careful generous tidy muddy crowded empty full half-finished well-kept
experimental stable tested documented translated reviewed approved postponed
upcoming recent annual informal formal lively calm noisy peaceful colourful plain
organic heritage native wild cultivated hardy tender perennial annual biennial""".split()

VERBS_PAST = """planted watered harvested shared moved built fixed tested wrote
translated reviewed published planned organised hosted invited welcomed measured
counted weighed sorted repaired painted cleaned cleared mulched pruned sowed
potted labelled mapped documented released merged discussed agreed decided
changed improved simplified replaced removed added opened closed started finished
collected donated swapped borrowed lent cooked baked tasted recorded filmed
photographed drew designed sketched printed posted announced answered asked
explained showed taught learned practised checked compared estimated scheduled""".split()

VERBS_PRESENT = """plant water harvest share move build fix test write translate
review publish plan organise host invite welcome measure count weigh sort repair
paint clean clear mulch prune sow pot label map document release merge discuss
agree decide change improve simplify replace remove add open close start finish
collect donate swap borrow lend cook bake taste record film photograph draw design
print post announce answer ask explain show teach learn practise check compare""".split()

ADVERBS = """quickly slowly carefully together quietly openly gently finally
already often rarely usually sometimes twice again early later soon recently
properly patiently happily gladly safely clearly briefly mostly nearly""".split()

PREPOSITIONS = """in near behind beside under above along across around through
after before during without with for from into onto towards between among""".split()

CITIES = """Turin Milan Lyon Ljubljana Kraków Vienna Ghent Porto Valencia Bologna
Grenoble Zagreb Leipzig Utrecht Malmö Tartu Brno Cork Bilbao Marseille Trieste
Graz Basel Aarhus Lille Nantes Padua Verona Split Gdańsk""".split()

PEOPLE = """Giulia Tomasz Fatima Luca Elena Marco Aisha Jonas Ines Pavel Noor
Sofia Mateo Hana Oskar Lea Karim Maja Diego Yusuf Amara Nils Chiara Tariq Alma
Emil Zofia Rui Leila Anton""".split()

SURNAMES = """Bernardi Nowak Haddad Rossi Petrova Ferrari Kovač Lindqvist Duarte
Moreau Novak Ahmed Conti Meyer Santos Horvat Berg Costa Ricci Weber""".split()

TAG_POOL = """gardening compost seeds harvest meetup workshop volunteers release
roadmap accessibility translation moderation newsletter events recap interview
how-to community-call governance funding sponsors schools kids recipes soil
water-saving pollinators biodiversity tools app-update bugfix security privacy
data-export maps sensors weather frost drought greenhouse orchards herbs
vegetables fruit beekeeping urban-farming allotments balcony-gardening
rooftops climate food-sharing seed-swap photo-contest design documentation
onboarding mentoring partners conference hackathon survey""".split()

CODE_SNIPPETS = [
    ("yaml", "rota:\n  - day: Monday\n    who: [Giulia, Tomasz]\n  - day: Thursday\n    who: [Fatima]\n"),
    ("python", "def litres_needed(beds, per_bed=12):\n    return sum(per_bed for _ in range(beds))\n\nprint(litres_needed(8))\n"),
    ("bash", "og export --garden 42 --format csv > harvest.csv\nog import plots.csv --dry-run\n"),
    ("json", '{"garden": 42, "beds": 18, "volunteers": 31, "open": true}\n'),
    ("toml", '[garden]\nname = "Orto di Quartiere"\nbeds = 18\nwatering = "mon,thu"\n'),
]

LINK_HOSTS = ["https://docs.example.org/", "https://forum.example.org/t/", "https://wiki.example.org/",
              "https://code.example.org/opengarden/", "https://news.example.net/"]

TITLE_PATTERNS = [
    "How the {city} garden {verb_past} its {noun}",
    "{Adj} {nouns}: what we {verb_past} this {season}",
    "Notes from the {city} {event}",
    "Why we {verb} the {noun} together",
    "A {adj} guide to {nouns} and {nouns2}",
    "What {person} {verb_past} about {nouns}",
    "The {adj} {noun} of {city}",
    "{Event} recap: {nouns}, {nouns2} and a {adj} {noun3}",
    "Ten questions about the {adj} {noun}",
    "Meet {person}, who {verb_past} a {noun} in {city}",
    "Release notes: {adj} {nouns} and {noun2} fixes",
    "From {noun} to {noun2}: a {season} in {city}",
]
EVENTS = ["meetup", "workshop", "seed swap", "community call", "open day", "hackathon", "picnic"]
SEASONS = ["spring", "summer", "autumn", "winter"]


def plural(noun: str) -> str:
    if noun.endswith("s"):
        return noun
    if noun.endswith(("sh", "ch", "x")) or noun in ("tomato", "potato"):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def slugify(text: str) -> str:
    text = text.lower()
    table = str.maketrans("àáâäãåąćčçđèéêëęìíîïłńñòóôöõøśšùúûüýžźż", "aaaaaaacccdeeeeeiiiilnnoooooossuuuuyzzz")
    text = text.translate(table)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


class Writer:
    """Everything random for one hub comes from one seeded Random."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        # a Zipf-like weight per tag, so a few tags are big and most are small
        self.tag_weights = [1.0 / (i + 1) ** 0.8 for i in range(len(TAG_POOL))]

    # words and sentences
    def pick(self, seq):
        return self.rng.choice(seq)

    def noun_phrase(self) -> str:
        r = self.rng.random()
        if r < 0.15:
            return f"{self.pick(PEOPLE)}"
        det = self.pick(["the", "a", "our", "their", "every", "one", "this", "that"])
        parts = [det]
        if self.rng.random() < 0.6:
            parts.append(self.pick(ADJECTIVES))
        noun = self.pick(NOUNS)
        if det in ("every", "one", "a", "this", "that"):
            parts.append(noun)
        else:
            parts.append(plural(noun) if self.rng.random() < 0.4 else noun)
        if parts[0] == "a" and parts[1][0] in "aeiou":
            parts[0] = "an"
        return " ".join(parts)

    def clause(self) -> str:
        subject = self.noun_phrase()
        verb = self.pick(VERBS_PAST)
        obj = self.noun_phrase()
        out = f"{subject} {verb} {obj}"
        if self.rng.random() < 0.5:
            out += f" {self.pick(PREPOSITIONS)} {self.noun_phrase()}"
        if self.rng.random() < 0.25:
            out += f" {self.pick(ADVERBS)}"
        return out

    def sentence(self, links: list[str]) -> str:
        r = self.rng.random()
        if r < 0.55:
            text = self.clause()
        elif r < 0.75:
            text = f"{self.clause()}, and {self.clause()}"
        elif r < 0.85:
            text = f"when {self.clause()}, {self.clause()}"
        elif r < 0.93:
            text = f"we {self.pick(VERBS_PRESENT)} {self.noun_phrase()} {self.pick(PREPOSITIONS)} {self.noun_phrase()} every {self.pick(['week', 'month', 'season', 'year'])}"
        else:
            text = f"in {self.pick(CITIES)}, {self.clause()}"
        if self.rng.random() < 0.06:
            words = text.split()
            i = self.rng.randrange(len(words))
            words[i] = f"**{words[i]}**" if self.rng.random() < 0.5 else f"*{words[i]}*"
            text = " ".join(words)
        if links and self.rng.random() < 0.08:
            words = text.split()
            i = self.rng.randrange(max(1, len(words) - 2))
            anchor = " ".join(words[i:i + 2])
            if "*" not in anchor:
                words[i:i + 2] = [f"[{anchor}]({self.pick(links)})"]
                text = " ".join(words)
        end = "?" if self.rng.random() < 0.05 else "."
        return text[0].upper() + text[1:] + end

    def paragraph(self, links: list[str], n: int | None = None) -> str:
        n = n or self.rng.randint(3, 6)
        sentences = [self.sentence(links) for _ in range(n)]
        # wrap at ~78 columns, as people's editors do
        lines, line = [], ""
        for word in " ".join(sentences).split(" "):
            if line and len(line) + 1 + len(word) > 78:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        return "\n".join(lines)

    def heading(self) -> str:
        r = self.rng.random()
        if r < 0.3:
            text = f"What we {self.pick(VERBS_PAST)}"
        elif r < 0.55:
            text = f"The {self.pick(ADJECTIVES)} {self.pick(NOUNS)}"
        elif r < 0.75:
            text = f"{plural(self.pick(NOUNS)).capitalize()} and {plural(self.pick(NOUNS))}"
        else:
            text = f"Next {self.pick(['steps', 'season', 'month', 'time', 'year'])}"
        return text

    def list_block(self, links: list[str]) -> str:
        ordered = self.rng.random() < 0.35
        items = []
        for i in range(self.rng.randint(3, 6)):
            text = self.sentence(links if self.rng.random() < 0.3 else [])
            marker = f"{i + 1}." if ordered else "-"
            items.append(f"{marker} {text}")
        return "\n".join(items)

    def table(self) -> str:
        cols = ["Garden", "Beds", "Volunteers", "Harvest (kg)"]
        rows = ["| " + " | ".join(cols) + " |", "|---|---:|---:|---:|"]
        for _ in range(self.rng.randint(3, 6)):
            rows.append(f"| {self.pick(CITIES)} | {self.rng.randint(4, 60)} | "
                        f"{self.rng.randint(3, 80)} | {self.rng.randint(20, 900)} |")
        return "\n".join(rows)

    def code(self) -> str:
        lang, text = self.pick(CODE_SNIPPETS)
        return f"```{lang}\n{text}```"

    def body(self, links: list[str]) -> str:
        target = self.rng.randint(390, 800)
        blocks = [self.paragraph(links)]
        words = len(blocks[0].split())
        if self.rng.random() < 0.5:
            blocks.append(self.paragraph(links))
            words += len(blocks[-1].split())
        has_code = self.rng.random() < 0.15
        has_table = self.rng.random() < 0.10
        has_quote = self.rng.random() < 0.15
        while words < target:
            blocks.append("## " + self.heading())
            for _ in range(self.rng.randint(1, 3)):
                blocks.append(self.paragraph(links))
                words += len(blocks[-1].split())
                if words >= target:
                    break
            if words >= target:
                break
            r = self.rng.random()
            if r < 0.35:
                blocks.append(self.list_block(links))
                words += len(blocks[-1].split())
            elif has_code and r < 0.55:
                blocks.append(self.code())
                has_code = False
            elif has_table and r < 0.7:
                blocks.append(self.table())
                has_table = False
            elif has_quote and r < 0.8:
                blocks.append("> " + self.sentence([]) + " " + self.sentence([]))
                has_quote = False
                words += len(blocks[-1].split())
        return "\n\n".join(blocks) + "\n"

    def title(self) -> str:
        pattern = self.pick(TITLE_PATTERNS)
        event = self.pick(EVENTS)
        adj = self.pick(ADJECTIVES)
        return pattern.format(
            city=self.pick(CITIES), verb_past=self.pick(VERBS_PAST), verb=self.pick(VERBS_PRESENT),
            noun=self.pick(NOUNS), noun2=self.pick(NOUNS), noun3=self.pick(NOUNS),
            nouns=plural(self.pick(NOUNS)), nouns2=plural(self.pick(NOUNS)),
            adj=adj, Adj=adj.capitalize(), season=self.pick(SEASONS), person=self.pick(PEOPLE),
            event=event, Event=event.capitalize())

    def tags(self) -> list[str]:
        k = self.rng.randint(2, 5)
        chosen: list[str] = []
        while len(chosen) < k:
            tag = self.rng.choices(TAG_POOL, weights=self.tag_weights)[0]
            if tag not in chosen:
                chosen.append(tag)
        return chosen


# --- the posts ----------------------------------------------------------------

CAMPAIGNS = {
    "spring-planting": {"title": "Spring Planting", "start": "2025-03-01", "end": "2025-05-31",
                        "goal": 800, "color": "#5C8A3A"},
    "autumn-harvest": {"title": "Autumn Harvest", "start": "2026-09-01", "end": "2026-11-30",
                       "goal": 1200, "color": "#C2703D"},
}


def make_posts(n: int, seed: int) -> list[dict]:
    w = Writer(seed)
    posts: list[dict] = []
    slugs: set[str] = set()
    step = SPAN_DAYS * 86400 / n
    for i in range(n):
        offset = i * step + w.rng.uniform(0, step * 0.8)
        when = FIRST_DAY + timedelta(seconds=offset)
        when = when.replace(hour=w.rng.randint(7, 20), minute=w.rng.choice([0, 15, 30, 45]),
                            second=0, microsecond=0)
        title = w.title()
        base = slugify(title)[:48].strip("-")
        slug, k = base, 2
        while slug in slugs:
            slug, k = f"{base}-{k}", k + 1
        slugs.add(slug)
        # links: a few external ones, and earlier posts on the site
        links = [f"{w.pick(LINK_HOSTS)}{slugify(w.pick(NOUNS))}-{w.rng.randint(1, 999)}"
                 for _ in range(3)]
        if posts:
            links += [f"/posts/{posts[w.rng.randrange(len(posts))]['slug']}/" for _ in range(2)]
        tags = w.tags()
        summary = w.sentence([]).replace("*", "")
        campaign = None
        day = when.date().isoformat()
        for name, c in CAMPAIGNS.items():
            if c["start"] <= day <= c["end"] and w.rng.random() < 0.6:
                campaign = name
        posts.append({
            "title": title, "slug": slug, "date": when, "tags": tags, "summary": summary,
            "author": f"{w.pick(PEOPLE)} {w.pick(SURNAMES)}", "campaign": campaign,
            "body": w.body(links), "channels": channel_texts(w, title, slug, tags, summary, campaign),
        })
    return posts


def channel_url_length(channel: str, slug: str, campaign: str | None) -> int:
    url = f"{BASE_URL}posts/{slug}/?utm_source={channel}&utm_medium=social"
    if campaign:
        url += f"&utm_campaign={campaign}"
    return len(url)


def clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:")
    return cut + "…"


def channel_texts(w: Writer, title, slug, tags, summary, campaign) -> dict:
    out: dict = {}
    hashtags = " ".join("#" + t.replace("-", "") for t in tags[:3])
    if w.rng.random() < CHANNEL_SHARE["mastodon"]:
        # 500 characters, every URL counts 23
        out["mastodon"] = clip(f"{title}. {summary}", 380) + " {url} " + hashtags
    if w.rng.random() < CHANNEL_SHARE["bluesky"]:
        room = BLUESKY_LIMIT - BLUESKY_MARGIN - channel_url_length("bluesky", slug, campaign) - 1
        out["bluesky"] = clip(f"{title}: {summary[0].lower()}{summary[1:]}", max(40, room)) + " {url}"
    if w.rng.random() < CHANNEL_SHARE["linkedin"]:
        paras = [f"{title}.", w.paragraph([], 3), w.paragraph([], 2), "Read the whole post: {url}", hashtags]
        out["linkedin"] = "\n\n".join(p.replace("\n", " ").replace("*", "") for p in paras)
    return out


# --- writing files ------------------------------------------------------------

def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def hearth_post(p: dict) -> str:
    lines = ["---", f"title: {q(p['title'])}", f"date: {p['date']:%Y-%m-%d %H:%M}",
             f"author: {q(p['author'])}", "tags: [" + ", ".join(p["tags"]) + "]",
             f"summary: {q(p['summary'])}"]
    if p["campaign"]:
        lines.append(f"campaign: {p['campaign']}")
    if p["channels"]:
        lines.append("channels:")
        for name, text in p["channels"].items():
            if "\n" in text:
                lines.append(f"  {name}:")
                lines.append("    text: |")
                lines += [("      " + line) if line else "" for line in text.split("\n")]
            else:
                lines.append(f"  {name}: {q(text)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + p["body"]


def pelican_post(p: dict) -> str:
    head = [f"Title: {p['title']}", f"Date: {p['date']:%Y-%m-%d %H:%M}", f"Tags: {', '.join(p['tags'])}",
            f"Slug: {p['slug']}", f"Author: {p['author']}", f"Summary: {p['summary']}"]
    return "\n".join(head) + "\n\n" + p["body"]


def hugo_post(p: dict) -> str:
    head = ["---", f"title: {q(p['title'])}", f"date: {p['date'].isoformat()}", f"slug: {q(p['slug'])}",
            "tags: [" + ", ".join(q(t) for t in p["tags"]) + "]", f"summary: {q(p['summary'])}",
            f"author: {q(p['author'])}", "---"]
    return "\n".join(head) + "\n" + p["body"]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def channels_yml(posts: list[dict]) -> str:
    """Enough slots per day that every channel's queue keeps up with its posts."""
    out = ["# Generated by bench/generate.py: three channels, slots every day of the week.",
           "channels:"]
    for name in ("mastodon", "bluesky", "linkedin"):
        count = sum(1 for p in posts if name in p["channels"])
        per_day = max(3, math.ceil(count / SPAN_DAYS * 1.5))
        step = 60 if per_day <= 13 else 30 if per_day <= 26 else 15
        per_day = min(per_day, 13 * 60 // step)
        times = []
        for k in range(per_day):
            minutes = 8 * 60 + k * step + CHANNEL_MINUTE[name] * step // 60
            times.append(f"{minutes // 60:02d}:{minutes % 60:02d}")
        slots = [f"{day} {t}" for day in WEEKDAYS for t in times]
        medium = "social"
        out += [f"  {name}:", f"    kind: {name}",
                "    slots: [" + ", ".join(q(s) for s in slots) + "]",
                f"    max_per_day: {per_day}", f"    min_gap: {max(5, step // 3)}m",
                f"    utm: {{source: {name}, medium: {medium}}}"]
    out += ["blackouts:",
            "  - {start: 2024-12-24, end: 2024-12-26, reason: Holidays, channels: all}",
            "  - {start: 2025-12-24, end: 2025-12-26, reason: Holidays, channels: all}"]
    return "\n".join(out) + "\n"


EVENT_FILES = {
    "community-call.md": """---
title: Bench Garden community call
start: 2025-01-02 18:00
duration: 1h
timezone: Europe/Rome
rrule: "FREQ=MONTHLY;BYDAY=1TH;COUNT=36"
online: https://meet.example.org/bench-call
rsvp: https://bench.example.org/rsvp/community-call
status: ready
tags: [community-call, events]
---
Once a month, on the first Thursday, everyone who uses or builds the garden app
meets online for an hour: news, one topic from the community, and open floor.

## How to join

Open the link a few minutes early. Captions are on for every call, and the notes
are published on the hub within two days.
""",
    "harvest-meetup.md": """---
title: Harvest meetup in Turin
start: 2026-10-17 10:00
end: 2026-10-17 17:00
timezone: Europe/Rome
location: Orto di Quartiere, Via Nizza 12, Turin
rsvp: https://bench.example.org/rsvp/harvest
status: ready
tags: [meetup, harvest]
---
A day of talks, a hands-on hour in the beds and a long shared lunch. Free, and
the garden is step-free from the street entrance.
""",
    "winter-workshop.md": """---
title: Winter planning workshop
start: 2026-12-12 14:00
duration: 3h
timezone: Europe/Rome
location: Biblioteca Civica, Bologna
status: ready
tags: [workshop, events]
---
Plan next year's beds together: rotations, seed orders and the watering rota.
Bring your garden's map if you have one.
""",
}

RULES_YML = """# A small house style for the benchmark hub (Vale-style rules, as a list).
- id: Bench.Utilize
  extends: substitution
  message: "Use '%s' instead of '%s'."
  level: warning
  ignorecase: true
  swap:
    utilize: use
    in order to: to
    prior to: before
- id: Bench.Weasel
  extends: existence
  message: "'%s' is a weasel word."
  level: suggestion
  ignorecase: true
  tokens:
    - obviously
    - basically
    - simply
- id: Bench.Inclusive
  extends: substitution
  message: "Say '%s', not '%s'."
  level: error
  ignorecase: true
  swap:
    blacklist: blocklist
    whitelist: allowlist
    manpower: staff
- id: Bench.BrandName
  extends: substitution
  message: "Write '%s', not '%s'."
  level: warning
  ignorecase: false
  swap:
    Open garden: Open Garden
    opengarden: Open Garden
- id: Bench.Exclamation
  extends: existence
  message: "Keep exclamation marks for real news."
  level: suggestion
  raw:
    - '!{2,}'
"""

GUIDE_PAGE = """---
title: Voice and tone
---
We write like a neighbour who knows the garden well: plain words, short
sentences, and the practical detail first.

## Words we use

- Say *use*, not `utilize`.
- Say *allowlist* and *blocklist*, not `whitelist` and `blacklist`.
"""

HEARTH_TOML = f"""[site]
title = "{SITE_TITLE}"
description = "Benchmark hub generated by bench/generate.py."
base_url = "{BASE_URL}"
permalink = "posts/{{slug}}/"
language = "en"
timezone = "{TIMEZONE}"

[build]
output = "dist"
"""

PELICAN_CONF = f"""# Generated by bench/generate.py: post pages, a paginated index ({PER_PAGE} a page),
# tag pages and one Atom feed, with Pelican's built-in `simple` theme.
AUTHOR = "Bench"
SITENAME = "{SITE_TITLE}"
SITEURL = "{BASE_URL.rstrip('/')}"
RELATIVE_URLS = False
PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "{TIMEZONE}"
DEFAULT_LANG = "en"
THEME = "simple"
DEFAULT_PAGINATION = {PER_PAGE}
PAGINATION_PATTERNS = (
    (1, "{{url}}", "{{save_as}}"),
    (2, "{{base_name}}/page/{{number}}/", "{{base_name}}/page/{{number}}/index.html"),
)
ARTICLE_URL = "posts/{{slug}}/"
ARTICLE_SAVE_AS = "posts/{{slug}}/index.html"
TAG_URL = "tags/{{slug}}/"
TAG_SAVE_AS = "tags/{{slug}}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
DIRECT_TEMPLATES = ["index", "tags"]
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feed.xml"
FEED_MAX_ITEMS = {FEED_SIZE}
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
STATIC_PATHS = []
"""

PELICAN_NO_CACHE = """CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""

PELICAN_CACHE = """CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
"""

HUGO_TOML = f"""# Generated by bench/generate.py: post pages, a paginated home ({PER_PAGE} a page),
# tag pages and one RSS feed, with the self-written layouts/ beside this file.
baseURL = "{BASE_URL}"
languageCode = "en"
title = "{SITE_TITLE}"
timeZone = "{TIMEZONE}"
paginate = {PER_PAGE}
disableKinds = ["sitemap", "robotsTXT", "section"]
enableRobotsTXT = false

[pagination]
pagerSize = {PER_PAGE}

[permalinks]
posts = "/posts/:slug/"

[taxonomies]
tag = "tags"

[outputs]
home = ["HTML", "RSS"]
page = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]

[services.rss]
limit = {FEED_SIZE}
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
{{ with .Params.summary }}<meta name="description" content="{{ . }}">{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
{{ with site.Home.OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" title="{{ site.Title }}" href="{{ .Permalink }}">{{ end }}
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a> · <a href="{{ "/tags/" | relURL }}">Tags</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer>{{ site.Title }}</footer>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ with .Params.author }} · {{ . }}{{ end }} · {{ .ReadingTime }} min read</p>
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}
</article>
{{ end }}
""",
    "partials/summary.html": """<article>
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
<p>{{ .Params.summary }}</p>
</article>
""",
    "index.html": """{{ define "main" }}
{{ $paginator := .Paginate site.RegularPages }}
{{ range $paginator.Pages }}{{ partial "summary.html" . }}{{ end }}
{{ template "_internal/pagination.html" . }}
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1>#{{ .Title }}</h1>
{{ $paginator := .Paginate .Pages }}
{{ range $paginator.Pages }}{{ partial "summary.html" . }}{{ end }}
{{ template "_internal/pagination.html" . }}
{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}
<h1>Tags</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">#{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
}


def generate(n: int, out: Path, seed: int = 2026) -> None:
    if out.exists():
        shutil.rmtree(out)
    posts = make_posts(n, seed)
    hub, pelican, hugo = out / "hub", out / "pelican", out / "hugo"

    # Hearth
    write(hub / "hearth.toml", HEARTH_TOML)
    for p in posts:
        write(hub / "content" / "posts" / f"{p['date']:%Y-%m-%d}-{p['slug']}.md", hearth_post(p))
    write(hub / "content" / "pages" / "about.md",
          "---\ntitle: About\n---\nA generated hub for benchmarking Hearth.\n")
    write(hub / "calendar" / "channels.yml", channels_yml(posts))
    for name, c in CAMPAIGNS.items():
        write(hub / "calendar" / "campaigns" / f"{name}.md",
              f"---\ntitle: {c['title']}\nstart: {c['start']}\nend: {c['end']}\ngoal: {c['goal']}\n"
              f"color: \"{c['color']}\"\n---\nThe {c['title']} campaign: more people in more gardens.\n")
    for name, text in EVENT_FILES.items():
        write(hub / "calendar" / "events" / name, text)
    write(hub / "guidelines" / "voice-and-tone.md", GUIDE_PAGE)
    write(hub / "guidelines" / "rules.yml", RULES_YML)
    write(hub / ".gitignore", "/dist/\n.hearth-cache/\n")

    # Pelican
    write(pelican / "pelicanconf.py", PELICAN_CONF + PELICAN_NO_CACHE)
    write(pelican / "pelicanconf_cached.py", PELICAN_CONF + PELICAN_CACHE)
    for p in posts:
        write(pelican / "content" / f"{p['slug']}.md", pelican_post(p))

    # Hugo
    write(hugo / "hugo.toml", HUGO_TOML)
    for rel, text in HUGO_LAYOUTS.items():
        write(hugo / "layouts" / rel, text)
    for p in posts:
        write(hugo / "content" / "posts" / f"{p['slug']}.md", hugo_post(p))

    words = sum(len(p["body"].split()) for p in posts)
    print(f"generated {n} posts ({words} words, {words // max(1, n)} a post) in {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of posts")
    parser.add_argument("out", type=Path, help="output folder (replaced)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    generate(args.n, args.out, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
