"""Vale's rule kinds, compiled once and run on blocks of prose.

Each check is built from a rule's options and is immutable afterwards. How a
check runs is told by its `mode`:

- `scan`: stateless pattern matching (existence, substitution, moderation).
  `scan(text, pos, endpos)` yields matches; the engine may run it over a whole
  document at once and hand each match to the block it falls in.
- `block`: one block at a time, with state shared by the blocks of one text
  (consistency, conditional) or by none (occurrence, repetition, capitalization).
- `document`: the prose of a whole text at once (metric, readability).
- `unit` and `doc`: Hearth's own kinds, in `brand.py`.

The algorithms follow Vale's Go sources (internal/check/*.go) closely, down to
its message formatting, so a Vale package reports the same thing here.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import regex

from .blocks import Block
from .patterns import (
    PatternError,
    anchors,
    compile_pattern,
    context_free,
    exceptions_pattern,
    go_format,
    is_match,
    is_phrase,
    make_regexp,
    match_token,
    to_sentence,
)
from .prose import (
    CASE_TOKEN,
    cap_first,
    grade_levels,
    sentence_spans,
    text_metrics,
    to_sentence_case,
    to_title_case,
)


@dataclass
class Hit:
    """One finding, before it becomes a Diagnostic.

    `start`/`end` index the block's text; `line`/`column` override the position
    for findings that are not in a block's text (a front-matter key, a link).
    """

    block: Block | None
    start: int
    end: int
    message: str
    match: str = ""
    suggestions: tuple[str, ...] = ()
    line: int = 0
    column: int = 0


def yes_no(value: Any) -> bool | None:
    """A rule option's true/false (YAML's, or the words true/false/yes/no); absent
    is false; None when it is neither, for the caller to say where."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no"):
        return value.lower() in ("true", "yes")
    return None


class RuleError(ValueError):
    """A rule's options are wrong; `key` names the option to point at."""

    def __init__(self, message: str, key: str | None = None, index: int | None = None):
        super().__init__(message)
        self.key = key
        self.index = index


def _compile(pattern: str, key: str, index: int | None = None) -> regex.Pattern:
    try:
        return compile_pattern(pattern)
    except PatternError as err:
        raise RuleError(f"'{key}' is not a valid regular expression: {err}", key, index) from None


def _check_each(items: list[str], key: str) -> None:
    """Find which entry of a list breaks a joined pattern, to point at its line."""
    for i, item in enumerate(items):
        _compile(f"(?:{item})", key, i)


class Check:
    mode = "block"
    # Casefolded literals one of which any finding needs; None: no such shortcut.
    anchors: frozenset[str] | None = None

    def might_match(self, lower: str, text: str) -> bool:
        """False when this check cannot find anything in a document whose prose,
        joined, is `text` (`lower` casefolded)."""
        return self.anchors is None or any(map(lower.__contains__, self.anchors))

    def run(self, block: Block, state: dict) -> list[Hit]:  # pragma: no cover - interface
        return []


class ScanCheck(Check):
    """A check whose findings depend only on the text under a compiled pattern."""

    mode = "scan"
    pattern: regex.Pattern
    context_free: bool

    def scan(self, text: str, pos: int = 0, endpos: int | None = None
             ) -> Iterator[tuple[int, int, str, str, tuple[str, ...]]]:
        raise NotImplementedError


class Existence(ScanCheck):
    def __init__(self, message: str, tokens: list[str], raw: list[str], exceptions: list[str],
                 ignorecase: bool, nonword: bool, append: bool):
        tokens = [t for t in tokens if t.strip()]
        template = make_regexp(ignorecase=ignorecase, word=not nonword and bool(tokens),
                               raw="".join(raw), append=append)
        source = template.format("|".join(tokens))
        try:
            self.pattern = compile_pattern(source)
        except PatternError as err:
            _check_each(tokens, "tokens")
            _check_each(raw, "raw")
            raise RuleError(f"the rule's pattern is not valid: {err}", "tokens") from None
        self.context_free = context_free(source)
        self.anchors = anchors(source)
        self.exceptions = exceptions_pattern(exceptions) if exceptions else None
        self.message = message

    def scan(self, text: str, pos: int = 0, endpos: int | None = None):
        exc = self.exceptions
        for m in self.pattern.finditer(text, pos, len(text) if endpos is None else endpos):
            matched = m.group()
            if not matched:
                continue
            if exc is not None and exc.search(matched.strip()):
                continue
            yield m.start(), m.end(), go_format(self.message, matched), matched, ()


def swap_options(expected: str) -> list[str]:
    """The suggestions a swap value offers: `a|b` is two, `\\|` a literal bar."""
    temp = expected.replace("\\|", "\x00")
    return [o.replace("\x00", "|") for o in temp.split("|") if o]


def _convert_message(message: str) -> tuple[str, str]:
    """Vale's `convertMessage`: unquote the first of two quoted %s (the suggestion
    list brings its own quotes). Returns the message and the quote removed."""
    for spec, quote in (("'%s'", "'"), ('"%s"', '"')):
        if message.count(spec) == 2:
            return message.replace(spec, "%s", 1), quote
    return message, "'"


_CAPTURE_OPEN = regex.compile(r"(?<!\\)\((?!\?)")
_BACKREF = regex.compile(r"\$(\d+)")


def recase(suggestion: str, observed: str) -> str:
    """Keep the case of what is replaced: USERS → GARDENERS, Users → Gardeners.
    A suggestion with capitals of its own (a name) stays as written."""
    if not suggestion or suggestion != suggestion.lower():
        return suggestion
    letters = [c for c in observed if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return suggestion.upper()
    if observed[:1].isupper():
        return cap_first(suggestion, False)
    return suggestion


class Substitution(ScanCheck):
    """`swap: {observed: expected}`; `a|b` offers several suggestions."""

    def __init__(self, message: str, swap: dict[str, str], exceptions: list[str],
                 ignorecase: bool, nonword: bool, replace: bool, capitalize: bool,
                 native: bool):
        template = make_regexp(ignorecase=ignorecase, word=not nonword, append=True)
        terms = sorted(swap, key=len, reverse=True)  # longest first: greedy alternation
        keys, parts = [], []
        for term in terms:
            source = term
            if source.count("(") != source.count("(?") + source.count("\\("):
                source = _CAPTURE_OPEN.sub("(?:", source)
            keys.append(term)
            parts.append(f"({source})")
        pattern_source = template.format("|".join(parts))
        try:
            self.pattern = compile_pattern(pattern_source)
        except PatternError as err:
            for term in terms:
                try:
                    compile_pattern(term)
                except PatternError as inner:
                    raise RuleError(f"swap key '{term}' is not a valid regular expression: "
                                    f"{inner}", "swap") from None
            raise RuleError(f"the rule's pattern is not valid: {err}", "swap") from None
        self.context_free = context_free(pattern_source)
        self.anchors = anchors(pattern_source)
        self.keys = keys
        self.replacements = [str(swap[k]) for k in terms]
        self.exceptions = exceptions_pattern(exceptions) if exceptions else None
        self.ignorecase = ignorecase
        self.replace = replace
        self.capitalize = capitalize
        self.native = native
        converted, quote = _convert_message(message)
        self.message = message
        self.replace_message = converted
        self.quote = quote if native else "'"
        self.groups = self.pattern.groups

    def expected_for(self, index: int, observed: str) -> str:
        expected = self.replacements[index]
        if self.capitalize:
            expected = "|".join(recase(o, observed) for o in expected.split("|"))
        if _BACKREF.search(expected):
            key = ("(?i)" if self.ignorecase else "") + self.keys[index]
            try:
                expected = compile_pattern(key).sub(_BACKREF.sub(r"\\g<\1>", expected), observed)
            except (PatternError, regex.error, IndexError):
                pass
        return expected

    def scan(self, text: str, pos: int = 0, endpos: int | None = None):
        exc = self.exceptions
        ngroups = len(self.keys)
        for m in self.pattern.finditer(text, pos, len(text) if endpos is None else endpos):
            gi = m.lastindex
            if gi is None:
                continue
            if self.groups != ngroups:  # a key kept a named group: find the alternative
                gi = next((g for g in range(1, ngroups + 1) if m.start(g) >= 0), None)
                if gi is None:
                    continue
            start, end = m.span(gi)
            observed = m.group(gi)
            if not observed or gi > ngroups:
                continue
            expected = self.expected_for(gi - 1, observed)
            if self.replace:
                options = swap_options(expected)
                same = observed in options
            else:
                options = [expected] if is_phrase(expected) else []
                same = match_token(expected, observed, False)
            if same or (exc is not None and exc.search(observed)):
                continue
            message = self.message
            shown = expected
            if self.replace:
                shown = to_sentence(options, "or", self.quote)
                message = self.replace_message
            yield start, end, go_format(message, shown, observed), observed, tuple(options)


class Occurrence(Check):
    def __init__(self, message: str, token: str, max_: int, min_: int, ignorecase: bool):
        source = ("(?i)" if ignorecase else "") + f"(?:{token})"
        self.pattern = _compile(source, "token")
        # `[^\s]+`, the usual word token of length rules, counts what str.split() counts
        self.whitespace_words = token in (r"[^\s]+", r"\S+")
        # whether a stretch of text never has fewer tokens than any part cut from it
        self.monotone = self.whitespace_words or (
            context_free(token) and not any(c in token for c in "^$"))
        self.max = max_
        self.min = min_
        self.message = message
        self.anchors = None if min_ > 0 else anchors(source)

    def count(self, text: str) -> int:
        return len(text.split() if self.whitespace_words else self.pattern.findall(text))

    def parent_might_match(self, block: Block) -> bool:
        """A sentence holds no more tokens than its paragraph."""
        return self.min > 0 or self.max <= 0 or not self.monotone \
            or self.count(block.text) > self.max

    def run(self, block: Block, state: dict) -> list[Hit]:
        count = self.count(block.text)
        if not ((self.max > 0 and count > self.max) or (self.min > 0 and count < self.min)):
            return []
        matches = [m.span() for m in self.pattern.finditer(block.text)]
        message = go_format(self.message, count)
        if count == 0:
            return [Hit(block, 0, 0, message)]
        for a, b in matches:
            found = block.text[a:b]
            if found.strip() and not all(c in "*@" for c in found):
                return [Hit(block, a, b, message, found)]
        return []


class Repetition(Check):
    def __init__(self, message: str, tokens: list[str], max_: int, ignorecase: bool,
                 alpha: bool, exceptions: list[str]):
        self.pattern = _compile(("(?i)" if ignorecase else "") + "(" + "|".join(tokens) + ")",
                                "tokens")
        self.max = max_
        self.ignorecase = ignorecase
        self.alpha = alpha
        self.exceptions = exceptions_pattern(exceptions) if exceptions else None
        self.message = message
        self.split_chars = None
        single_class = regex.fullmatch(r"\[\^((?:\\s|[^\]\\\-])*)\]\+", tokens[0]) \
            if len(tokens) == 1 else None
        if single_class and "\\s" in single_class.group(1):
            # Tokens that are runs of "anything but whitespace and these": the
            # document's tokens are its words once those are turned into spaces.
            self.split_chars = single_class.group(1).replace("\\s", "")

    def might_match(self, lower: str, text: str) -> bool:
        """Some two neighbouring tokens are alike somewhere in the document."""
        if self.split_chars is not None:
            subject = lower if self.ignorecase else text
            for c in self.split_chars:
                subject = subject.replace(c, " ")
            found = subject.split()
            return any(map(operator.eq, found, found[1:]))
        subject = lower if self.ignorecase else text
        if self.pattern.groups == 1:
            found = list(map(str.strip, self.pattern.findall(subject)))
        else:
            found = [m.group().strip() for m in self.pattern.finditer(subject)]
        return any(map(operator.eq, found, found[1:]))

    def run(self, block: Block, state: dict) -> list[Hit]:
        text = block.text
        if self.max == 0 and not self.might_match(text.casefold(), text):
            return []
        hits: list[Hit] = []
        prev, prev_start, count = "", 0, 0
        for m in self.pattern.finditer(text):
            curr = m.group().strip()
            if self.ignorecase:
                hit = curr != "" and curr.casefold() == prev.casefold()
            else:
                hit = curr != "" and curr == prev
            hit = hit and (not self.alpha or curr.isalpha())
            if hit:
                count += 1
            if hit and count > self.max:
                span_text = text[prev_start:m.end()]
                if len(sentence_spans(span_text)) == 1 and not is_match(self.exceptions,
                                                                           span_text):
                    hits.append(Hit(block, prev_start, m.end(), go_format(self.message, curr),
                                    span_text))
                    count = 0
            prev_start = m.start()
            prev = curr
        return hits


class Consistency(Check):
    """`either: {a: b}`: once both spellings appear in a text, each further use is flagged."""

    def __init__(self, message: str, either: dict[str, str], ignorecase: bool, nonword: bool):
        template = make_regexp(ignorecase=ignorecase, word=not nonword, append=True)
        self.steps: list[tuple[regex.Pattern, str, str, tuple]] = []
        for n, (first, second) in enumerate(either.items()):
            a, b = f"c{2 * n}", f"c{2 * n + 1}"
            source = template.format(f"(?P<{a}>{first})|(?P<{b}>{second})")
            flags = "(?i)" if ignorecase else ""
            sides = (anchors(flags + first), anchors(flags + second))
            self.steps.append((_compile(source, "either"), a, b, sides))
        self.message = message
        found: set[str] = set()
        for first, second in either.items():
            for side in (first, second):
                side_anchors = anchors(side)
                if side_anchors is None:
                    found = set()
                    break
                found |= side_anchors
            else:
                continue
            break
        else:
            self.anchors = frozenset(found) or None

    def run(self, block: Block, state: dict) -> list[Hit]:
        seen: set[str] = state.setdefault("seen", set())
        steps = state.get("steps")
        if steps is None:  # a pair can only clash where both spellings occur in the document
            doc = state.get("lower")
            steps = state["steps"] = [
                step for step in self.steps
                if doc is None or all(side is None or any(x in doc for x in side)
                                      for side in step[3])]
        hits: list[Hit] = []
        for pattern, a, b, _ in steps:
            last = None
            for m in pattern.finditer(block.text):
                name = a if m.start(a) >= 0 else b
                seen.add(name)
                last = m.group()
            if last is not None and a in seen and b in seen:
                start = block.text.find(last)
                hits.append(Hit(block, start, start + len(last), go_format(self.message, last),
                                last))
        return hits


class Capitalization(Check):
    def __init__(self, message: str, match: str, style: str, exceptions: list[str],
                 indicators: list[str], threshold: float, prefix: str):
        self.match = match
        self.message = message
        self.exceptions = exceptions_pattern(exceptions) if exceptions else None
        self.vocab = tuple(exceptions)
        self.indicators = tuple(indicators) if indicators else (":",)
        self.threshold = threshold or 0.8
        self.chicago = style.lower() == "chicago"
        self.prefix = _compile(prefix, "prefix") if prefix else None
        token = CASE_TOKEN
        if self.exceptions is not None:
            token = self.exceptions.pattern + "|" + CASE_TOKEN
        self.tokens = _compile(token, "exceptions")
        self.regex = None
        if match not in ("$title", "$sentence", "$lower", "$upper"):
            self.regex = _compile(match, "match")

    def expected(self, text: str) -> tuple[str, bool]:
        prefix = ""
        if self.prefix is not None:
            pm = self.prefix.match(text)
            if pm:
                prefix, text = pm.group(), text[pm.end():]
        if self.match == "$lower":
            return text.lower(), text == text.lower() or is_match(self.exceptions, text)
        if self.match == "$upper":
            return text.upper(), text == text.upper() or is_match(self.exceptions, text)
        if self.regex is not None:
            return self.match, bool(self.regex.search(text)) or is_match(self.exceptions, text)
        if self.match == "$title":
            expected = to_title_case(text, self.vocab, self.chicago)
        else:
            expected = to_sentence_case(text, self.vocab, self.indicators, self.tokens)
        observed_tokens = self.tokens.findall(text)
        expected_tokens = self.tokens.findall(expected)
        count = words = 0.0
        for i, w in enumerate(observed_tokens):
            if i >= len(expected_tokens) or w == expected_tokens[i] or is_match(self.exceptions, w):
                count += 1
            elif self.match == "$title" and w == w.upper():
                count += 1  # an acronym reads right in a title (Vale: only for $title)
            elif self.match == "$sentence" and i == 0 and w != cap_first(w.lower(), False):
                return prefix + expected, False
            words += 1
        return prefix + expected, words == 0 or count / words >= self.threshold

    def run(self, block: Block, state: dict) -> list[Hit]:
        expected, ok = self.expected(block.text)
        if ok:
            return []
        suggestions = (expected,) if self.regex is None else ()
        return [Hit(block, 0, len(block.text), go_format(self.message, block.text, expected),
                    block.text, suggestions)]


class Conditional(Check):
    """If `first` appears, `second` must too (an acronym defined on first use)."""

    def __init__(self, message: str, first: str, second: str, exceptions: list[str],
                 ignorecase: bool):
        flags = "(?i)" if ignorecase else ""
        self.second = _compile(flags + second, "second")
        self.first = _compile(flags + first, "first")
        self.second_has_group = second.count("(") > second.count("(?") + second.count("\\(")
        self.exceptions = exceptions_pattern(exceptions) if exceptions else None
        self.message = message
        self.anchors = anchors(flags + first)
        # `first` without its word boundaries: a looser pattern the regex engine can
        # scan for quickly, since it starts with a character class, not an assertion
        loose = first.replace("\\b", "") if "[\\b" not in first else first
        self.loose_first = _compile(flags + loose, "first")

    def might_match(self, lower: str, text: str) -> bool:
        return self.loose_first.search(text) is not None

    def run(self, block: Block, state: dict) -> list[Hit]:
        text = block.text
        hits: list[Hit] = []
        if not self.second_has_group:
            if self.second.search(text):
                return []
            defined: list[str] = []
        else:
            defined = state.setdefault("defined", [])
            for m in self.second.finditer(text):
                defined.extend(g for g in m.groups() if g)
        for m in self.first.finditer(text):
            s = m.group()
            if s in defined or is_match(self.exceptions, s):
                continue
            hits.append(Hit(block, m.start(), m.end(), go_format(self.message, s), s))
        return hits


# --- metric and readability: formulas over a text's counts -----------------------

_MATH = {name: getattr(math, name) for name in (
    "sqrt", "pow", "abs", "log", "log10", "log2", "exp", "floor", "ceil", "min", "max")
    if hasattr(math, name)}
_MATH.update({"abs": abs, "min": min, "max": max})
_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.Mod: operator.mod, ast.Pow: operator.pow}
_CMPOPS = {ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Lt: operator.lt, ast.LtE: operator.le,
           ast.Eq: operator.eq, ast.NotEq: operator.ne}


def _tengo_to_python(expr: str) -> str:
    return expr.replace("&&", " and ").replace("||", " or ").replace("!=", "≠") \
        .replace("!", " not ").replace("≠", "!=")


def evaluate(expr: str, variables: dict[str, float]) -> Any:
    """A formula in Vale's (Tengo) expression syntax: arithmetic, comparisons, math.*."""
    tree = ast.parse(_tengo_to_python(expr.strip()), mode="eval")

    def ev(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in variables:
                raise ValueError(f"unknown variable '{node.id}'")
            return variables[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                return 0.0
            return _BINOPS[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
            value = ev(node.operand)
            return -value if isinstance(node.op, ast.USub) else (
                not value if isinstance(node.op, ast.Not) else value)
        if isinstance(node, ast.Compare):
            left = ev(node.left)
            for op, comp in zip(node.ops, node.comparators):
                right = ev(comp)
                if type(op) not in _CMPOPS or not _CMPOPS[type(op)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.BoolOp):
            values = [ev(v) for v in node.values]
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "math" \
                and node.func.attr in _MATH and not node.keywords:
            return float(_MATH[node.func.attr](*[ev(a) for a in node.args]))
        raise ValueError(f"unsupported expression: {ast.unparse(node)}")

    return ev(tree)


STRUCTURE_VARIABLES = ("pre", "list", "blockquote", "heading_h1", "heading_h2", "heading_h3",
                       "heading_h4", "heading_h5", "heading_h6")


class Metric(Check):
    """`formula` and `condition` over Vale's variables (words, sentences, syllables, …)."""

    def __init__(self, message: str, formula: str, condition: str, document: bool):
        self.formula = regex.sub(r"heading\.(h[1-6])", r"heading_\1", formula)
        self.condition = condition
        self.message = message
        self.mode = "document" if document else "block"
        variables = {k: 1.0 for k in ("sentences", "words", "characters", "syllables",
                                      "complex_words", "long_words", "polysyllabic_words",
                                      "paragraphs", *STRUCTURE_VARIABLES)}
        for expr, key in ((self.formula, "formula"), ("1.0 " + condition, "condition")):
            try:
                evaluate(expr, variables)
            except (SyntaxError, ValueError, TypeError) as err:
                raise RuleError(f"'{key}' cannot be evaluated: {err}", key) from None

    def measure(self, text: str, structure: dict[str, float]) -> tuple[float, bool] | None:
        variables = text_metrics(text)
        if not variables["words"]:
            return None
        variables.update({k: structure.get(k, 0.0) for k in STRUCTURE_VARIABLES})
        try:
            result = float(evaluate(self.formula, variables))
            fired = bool(evaluate(f"{result:f} {self.condition}", variables))
        except (ValueError, TypeError, ZeroDivisionError, OverflowError):
            return None
        return result, fired

    def finding(self, value: float) -> str:
        """The message for a measured value (`%s` is the value, two decimals)."""
        return go_format(self.message, f"{value:.2f}")

    def run(self, block: Block, state: dict) -> list[Hit]:
        measured = self.measure(block.text, {})
        if measured and measured[1]:
            return [Hit(block, 0, 0, self.finding(measured[0]))]
        return []


class Readability(Metric):
    """Vale's `readability`: the mean grade of the named formulas against `grade`."""

    def __init__(self, message: str, metrics: list[str], grade: float, document: bool):
        known = grade_levels({"words": 1, "sentences": 1, "syllables": 1, "complex_words": 0,
                              "characters": 1, "polysyllabic_words": 0})
        for name in metrics:
            if name not in known:
                raise RuleError(f"unknown readability metric '{name}'; use one of "
                                f"{', '.join(known)}", "metrics")
        self.metrics = list(metrics) or list(known)
        self.grade = float(grade)
        self.message = message
        self.mode = "document" if document else "block"

    def measure(self, text: str, structure: dict[str, float]) -> tuple[float, bool] | None:
        variables = text_metrics(text)
        if not variables["words"]:
            return None
        grades = grade_levels(variables)
        mean = sum(grades[name] for name in self.metrics) / len(self.metrics)
        return mean, mean > self.grade
