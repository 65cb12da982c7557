"""The Jinja2 environment: the hub's templates/ over the built-in theme, file by file.

StrictUndefined makes a typo in a template an error; autoescape is on for
HTML and XML. UI strings and dates are localized with Babel.
"""

from __future__ import annotations

import json
import traceback
import weakref
from functools import lru_cache
from datetime import date, datetime
from pathlib import Path
from typing import Any

import babel
import jinja2
from babel.dates import format_date, format_datetime, format_time

from .diagnostics import Diagnostic, diagnostic
from .plan.outputs import View
from .source import not_regular

STARTER_IN_PACKAGE = Path(__file__).parent / "starter"
STARTER_IN_CHECKOUT = Path(__file__).resolve().parents[2]


def starter_root() -> Path:
    """The demo hub that is also the starter and the built-in theme.

    In a wheel it is packaged as hearth/starter; in a source checkout
    (editable install) it is the repository root itself: one copy either way.
    """
    if (STARTER_IN_PACKAGE / "templates").is_dir():
        return STARTER_IN_PACKAGE
    return STARTER_IN_CHECKOUT


def builtin_templates() -> Path:
    return starter_root() / "templates"


def asset_files(root: Path) -> dict[str, Path]:
    """The theme's assets (`style.css` → its file): templates/assets/* of the
    built-in theme, overridden file by file by the hub's; regular files only,
    never through a link (load reports those)."""
    found: dict[str, Path] = {}
    for base, folder in ((builtin_templates().parent, "templates/assets"), (root, "templates/assets")):
        if (base / folder).is_dir():
            for f in sorted((base / folder).rglob("*")):
                rel = f.relative_to(base / folder).as_posix()
                if not rel.startswith(".") and "/." not in rel and \
                        not_regular(base, f"{folder}/{rel}") is None:
                    found[rel] = f
    return found


# The theme's UI strings. Babel gives dates, numbers and plural rules; these
# few words are ours. A missing key falls back to English.
STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "how_we_write": "How we write", "we_say": "We say", "we_dont_say": "We don't say", "words_we_avoid": "Words we avoid", "hearth_checks": "What Hearth checks", "channels": "Channels", "text": "Text", "images": "Images", "links": "Links", "hashtags": "Hashtags", "slots": "Slots", "pace": "Pace", "heading_link": "Link to this section: {title}",
        "home": "Home", "posts": "Posts", "tags": "Tags", "events": "Events",
        "guidelines": "Guidelines", "search": "Search", "search_placeholder": "Search posts…",
        "read_more": "Read more", "min_read": "{n} min read", "by": "by", "tagged": "Tagged",
        "newer": "Newer posts", "older": "Older posts", "previous_post": "Previous post",
        "next_post": "Next post", "page_n": "Page {n} of {total}", "contents": "Contents",
        "upcoming_events": "Upcoming events", "past_events": "Past events", "all_events": "All events",
        "add_to_calendar": "Add to calendar", "rsvp": "RSVP", "online": "Online",
        "not_found": "Page not found", "not_found_text": "We could not find that page. Try the search or go back home.",
        "feed": "Feed", "skip": "Skip to content", "posts_tagged": "Posts tagged “{tag}”",
        "no_results": "No posts match.", "menu": "Menu", "theme": "Switch light/dark theme",
        "published": "Published", "updated": "Updated", "all_tags": "All tags", "no_events": "No events planned yet.",
        "where": "Where", "when": "When", "subscribe": "Subscribe to all events", "recurring": "Repeats", "event_ended": "This event has ended.", "browse_tags": "Browse posts by tag",
    },
    "it": {
        "how_we_write": "Come scriviamo", "we_say": "Diciamo", "we_dont_say": "Non diciamo", "words_we_avoid": "Parole che evitiamo", "hearth_checks": "Cosa controlla Hearth", "channels": "Canali", "text": "Testo", "images": "Immagini", "links": "Link", "hashtags": "Hashtag", "slots": "Orari", "pace": "Ritmo", "heading_link": "Link a questa sezione: {title}",
        "home": "Home", "posts": "Articoli", "tags": "Tag", "events": "Eventi",
        "guidelines": "Linee guida", "search": "Cerca", "search_placeholder": "Cerca negli articoli…",
        "read_more": "Continua a leggere", "min_read": "{n} min di lettura", "by": "di", "tagged": "Tag",
        "newer": "Articoli più recenti", "older": "Articoli meno recenti", "previous_post": "Articolo precedente",
        "next_post": "Articolo successivo", "page_n": "Pagina {n} di {total}", "contents": "Indice",
        "upcoming_events": "Prossimi eventi", "past_events": "Eventi passati", "all_events": "Tutti gli eventi",
        "add_to_calendar": "Aggiungi al calendario", "rsvp": "Partecipa", "online": "Online",
        "not_found": "Pagina non trovata", "not_found_text": "Non abbiamo trovato questa pagina. Prova la ricerca o torna alla home.",
        "feed": "Feed", "skip": "Vai al contenuto", "posts_tagged": "Articoli con tag “{tag}”",
        "no_results": "Nessun articolo trovato.", "menu": "Menu", "theme": "Tema chiaro/scuro",
        "published": "Pubblicato", "updated": "Aggiornato", "all_tags": "Tutti i tag", "no_events": "Nessun evento in programma.",
        "where": "Dove", "when": "Quando", "subscribe": "Iscriviti a tutti gli eventi", "recurring": "Si ripete", "event_ended": "Questo evento è terminato.", "browse_tags": "Sfoglia gli articoli per tag",
    },
    "ru": {
        "how_we_write": "Как мы пишем", "we_say": "Мы пишем", "we_dont_say": "Мы не пишем", "words_we_avoid": "Слова, которых мы избегаем", "hearth_checks": "Что проверяет Hearth", "channels": "Каналы", "text": "Текст", "images": "Изображения", "links": "Ссылки", "hashtags": "Хештеги", "slots": "Время публикаций", "pace": "Темп", "heading_link": "Ссылка на раздел: {title}",
        "home": "Главная", "posts": "Записи", "tags": "Теги", "events": "События",
        "guidelines": "Правила", "search": "Поиск", "search_placeholder": "Поиск по записям…",
        "read_more": "Читать дальше", "min_read": "{n} мин чтения", "by": "автор", "tagged": "Теги",
        "newer": "Новее", "older": "Старше", "previous_post": "Предыдущая запись",
        "next_post": "Следующая запись", "page_n": "Страница {n} из {total}", "contents": "Содержание",
        "upcoming_events": "Ближайшие события", "past_events": "Прошедшие события", "all_events": "Все события",
        "add_to_calendar": "Добавить в календарь", "rsvp": "Зарегистрироваться", "online": "Онлайн",
        "not_found": "Страница не найдена", "not_found_text": "Такой страницы нет. Попробуйте поиск или вернитесь на главную.",
        "feed": "Лента", "skip": "К содержимому", "posts_tagged": "Записи с тегом «{tag}»",
        "no_results": "Ничего не найдено.", "menu": "Меню", "theme": "Светлая/тёмная тема",
        "published": "Опубликовано", "updated": "Обновлено", "all_tags": "Все теги", "no_events": "Событий пока нет.",
        "where": "Где", "when": "Когда", "subscribe": "Подписаться на все события", "recurring": "Повторяется", "event_ended": "Это событие уже прошло.", "browse_tags": "Записи по тегам",
    },
    "sv": {
        "how_we_write": "Så skriver vi", "we_say": "Vi skriver", "we_dont_say": "Vi skriver inte", "words_we_avoid": "Ord vi undviker", "hearth_checks": "Vad Hearth kontrollerar", "channels": "Kanaler", "text": "Text", "images": "Bilder", "links": "Länkar", "hashtags": "Hashtaggar", "slots": "Tider", "pace": "Takt", "heading_link": "Länk till avsnittet: {title}",
        "home": "Hem", "posts": "Inlägg", "tags": "Taggar", "events": "Evenemang",
        "guidelines": "Riktlinjer", "search": "Sök", "search_placeholder": "Sök bland inläggen…",
        "read_more": "Läs mer", "min_read": "{n} min läsning", "by": "av", "tagged": "Taggat",
        "newer": "Nyare inlägg", "older": "Äldre inlägg", "previous_post": "Föregående inlägg",
        "next_post": "Nästa inlägg", "page_n": "Sida {n} av {total}", "contents": "Innehåll",
        "upcoming_events": "Kommande evenemang", "past_events": "Tidigare evenemang", "all_events": "Alla evenemang",
        "add_to_calendar": "Lägg till i kalendern", "rsvp": "Anmäl dig", "online": "Online",
        "not_found": "Sidan hittades inte", "not_found_text": "Vi hittade inte sidan. Prova sökningen eller gå till startsidan.",
        "feed": "Flöde", "skip": "Hoppa till innehållet", "posts_tagged": "Inlägg taggade ”{tag}”",
        "no_results": "Inga inlägg matchar.", "menu": "Meny", "theme": "Ljust/mörkt tema",
        "published": "Publicerad", "updated": "Uppdaterad", "all_tags": "Alla taggar", "no_events": "Inga evenemang planerade ännu.",
        "where": "Var", "when": "När", "subscribe": "Prenumerera på alla evenemang", "recurring": "Upprepas", "event_ended": "Evenemanget är avslutat.", "browse_tags": "Bläddra bland inlägg efter tagg",
    },
}


def translate(key: str, lang: str, **values: Any) -> str:
    text = _string(key, lang)
    return text.format(**values) if values else text


@lru_cache(maxsize=4096)
def _string(key: str, lang: str) -> str:
    """A UI string (asked some twenty times a page, so remembered)."""
    base = lang.replace("-", "_").split("_")[0]
    return STRINGS.get(base, {}).get(key) or STRINGS["en"][key]


@lru_cache(maxsize=256)
def _locale(lang: str) -> babel.Locale:
    try:
        return babel.Locale.parse(lang.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse("en")


def format_when(value: date | datetime, lang: str, style: str = "long") -> str:
    """A localized date, or date and time, as readers of `lang` write it (remembered:
    a post's date is shown on its page, the lists and the feeds that hold it). Equal
    datetimes in other zones are other texts, so the zone is part of what is remembered."""
    if isinstance(value, datetime):
        zone = (value.tzinfo, value.tzname(), value.utcoffset(), value.fold)
    else:
        zone = None
    return _format_when(value, type(value), zone, lang, style)


@lru_cache(maxsize=1 << 16)
def _format_when(value: date | datetime, kind: type, zone: Any, lang: str, style: str) -> str:
    locale = _locale(lang)
    if isinstance(value, datetime):
        if style == "date":
            return format_date(value.date(), "long", locale=locale)
        if style == "month":
            return format_date(value.date(), "LLL", locale=locale)
        if style == "time":
            return format_time(value, "short", tzinfo=value.tzinfo, locale=locale)
        return format_datetime(value, "medium" if style == "medium" else "long",
                               tzinfo=value.tzinfo, locale=locale).replace(" UTC", "")
    if style == "month":
        return format_date(value, "LLL", locale=locale)
    return format_date(value, "long", locale=locale)


def _tojson(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class _MacroMemo:
    """A macro a template imports, remembered per post view: the card of a post
    is the same on the home page, its tag pages and every later list, so it is
    rendered once. An imported macro sees only its arguments and the
    environment's globals (no page context), so its HTML is a pure function of
    them; the memo is kept only while the post's view lives (one build)."""

    # what Jinja's `Context.call` asks of every callable (the macro has none): found
    # here, not by `__getattr__` and a failed look-up on the macro at every call
    jinja_pass_arg = None

    def __init__(self, macro: Any):
        self.macro = macro
        self.memo: dict[int, tuple[weakref.ref, dict[tuple, Any]]] = {}

    def __getattr__(self, name: str) -> Any:      # name, arguments, … as the macro's
        return getattr(self.macro, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        view = args[0] if args else None
        if not isinstance(view, View):
            return self.macro(*args, **kwargs)
        key = (args[1:], tuple(sorted(kwargs.items())))
        try:
            hash(key)
        except TypeError:
            return self.macro(*args, **kwargs)
        entry = self.memo.get(id(view))
        if entry is None or entry[0]() is not view:
            entry = (weakref.ref(view, self._forget(id(view))), {})
            self.memo[id(view)] = entry
        if key not in entry[1]:
            entry[1][key] = self.macro(*args, **kwargs)
        return entry[1][key]

    def _forget(self, ident: int) -> Any:
        def forget(ref: weakref.ref) -> None:
            if self.memo.get(ident, (None,))[0] is ref:
                del self.memo[ident]
        return forget


class _Template(jinja2.Template):
    """Templates whose cached import module hands out remembered macros."""

    def _get_default_module(self, ctx: Any = None) -> Any:
        module = super()._get_default_module(ctx)
        if module is self._module and not getattr(module, "_hearth_memo", False):
            for name, value in list(vars(module).items()):
                if isinstance(value, jinja2.runtime.Macro):
                    setattr(module, name, _MacroMemo(value))
            module._hearth_memo = True
        return module


# The names a dict (or a `View`) has as attributes: `day.items` is the method, as in Jinja
_DICT_ATTRIBUTES = frozenset(dir(View))


class _Environment(jinja2.Environment):
    """Jinja's environment with a quicker `a.b` on the dicts the contexts are made of."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Jinja tries `getattr` first and, on its AttributeError, the item: for a plain
        # dict or View (no attributes of its own) that is the item unless a dict method
        # has the name, decided here without raising (170k look-ups per 1,000 posts)
        kind = type(obj)
        if (kind is dict or kind is View and not obj.__dict__) and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def make_environment(hub_root: Path) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    own = hub_root / "templates"
    if own.is_dir() and own.resolve() != builtin_templates().resolve():
        loaders.append(jinja2.FileSystemLoader(str(own)))
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates())))
    env = _Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "xml", "htm"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # no stat of every template at every page: a changed theme is a new
        # environment (build.Builder keys it by the theme's fingerprint)
        auto_reload=False,
    )
    env.filters["when"] = format_when
    env.filters["iso"] = lambda v: v.isoformat()
    env.filters["tojson_sorted"] = _tojson
    env.globals["t"] = translate
    env.template_class = _Template
    return env


def template_diagnostic(err: Exception, hub_root: Path) -> Diagnostic:
    """A Jinja error as `templates/<name>:line: message`."""
    name = getattr(err, "filename", None) or getattr(err, "name", None)
    line = getattr(err, "lineno", None)
    if not name or not line:
        # a render-time error: Jinja rewrites the traceback so template frames show
        for frame in reversed(traceback.extract_tb(err.__traceback__)):
            if frame.filename.endswith((".html", ".xml", ".txt", ".ics", ".json", ".css", ".js")):
                name, line = frame.filename, frame.lineno
                break
    name, line = name or "templates", line or 1
    if name and Path(str(name)).is_absolute():
        path = Path(name)
        for base in (hub_root, builtin_templates().parent):
            try:
                name = path.relative_to(base).as_posix()
                break
            except ValueError:
                continue
    elif name and not str(name).startswith("templates/"):
        name = f"templates/{name}"
    message = getattr(err, "message", None) or str(err)
    return diagnostic(str(name), line, 1, "error", f"template error: {message}", "template")
