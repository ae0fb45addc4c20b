"""The text side of `kg extract`: read a document safely, keep an HTML page's article text only,
and find dates, resolving relative ones ("today (Monday 15 May)", "in December", "last year")
against the document's date.

Pure functions over strings; every refusal is an :class:`ExtractError` with a one-line message.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from kg.builder.sources import read_text_file
from kg.errors import ExtractError

MONTHS = ("January February March April May June July August September October November "
          "December").split()
MONTH = "|".join(MONTHS)
# the news agencies' abbreviations ("Nov. 18", "Sept. 3"): a day's month, never a month alone
ABBREVIATED = {"Jan": 1, "Feb": 2, "Aug": 8, "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}
DAY_MONTH = rf"{MONTH}|(?:{'|'.join(ABBREVIATED)})\."


def month_number(name: str) -> int:
    """1-12 for a month's name or its abbreviation ("Nov.")."""
    name = name.rstrip(".")
    return ABBREVIATED[name] if name in ABBREVIATED else MONTHS.index(name) + 1
WEEKDAY = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"


def read_document(path: Path) -> tuple[str, bool]:
    """Return ``(text, is_html)`` for the document at ``path``.

    Raises :class:`ExtractError` when the file is missing, empty, larger than 5 MB, binary or not
    UTF-8. HTML (by suffix, or a leading ``<!doctype html`` / ``<html``) is reduced to its
    article text by :func:`html_to_text`.
    """
    text = read_text_file(path, ExtractError, encoding="utf-8-sig")
    head = text.lstrip()[:200].lower()
    is_html = path.suffix.lower() in (".html", ".htm", ".xhtml") or head.startswith(
        ("<!doctype html", "<html"))
    if is_html:
        text = html_to_text(text)
        if not text.strip():
            raise ExtractError(f"{path}: the HTML page has no article text")
    return normalise(text), is_html


def normalise(text: str) -> str:
    """Unix newlines, no trailing spaces, at most one blank line in a row, one final newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


_SKIP = {"nav", "header", "footer", "script", "style", "noscript", "aside", "form", "template",
         "svg", "button", "iframe"}
_BLOCK = {"p", "div", "section", "article", "main", "li", "ul", "ol", "h1", "h2", "h3", "h4",
          "h5", "h6", "br", "tr", "blockquote", "figcaption", "dd", "dt", "table", "title"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "base", "col"}


class _Article(HTMLParser):
    """Collects text per region: inside <article>, inside <main>, and the whole <body>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.parts: dict[str, list[str]] = {"article": [], "main": [], "body": []}
        self.title: list[str] = []
        self.cells = 0  # the cells of the table row so far

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _BLOCK and tag != "tr":
            self._emit("\n\n" if tag not in ("br", "li") else "\n")
        if tag == "tr":
            self.cells = 0
        if tag in ("td", "th"):  # a table row is a line of cells: "1 | MoU on X | A, Title"
            self._emit(" | " if self.cells else "")
            self.cells += 1
        if tag == "li":
            self._emit("• ")
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass
        if tag in _BLOCK:
            self._emit("\n\n" if tag not in ("li", "tr") else "\n")

    def handle_data(self, data: str) -> None:
        if "title" in self.stack and "body" not in self.stack:
            self.title.append(data)
            return
        self._emit(re.sub(r"\s+", " ", data))

    def _emit(self, text: str) -> None:
        if any(tag in _SKIP for tag in self.stack) or "head" in self.stack:
            return
        for region in ("article", "main"):
            if region in self.stack:
                self.parts[region].append(text)
        self.parts["body"].append(text)


def html_to_text(html: str) -> str:
    """The readable article text of an HTML page: the first non-empty of <article>, <main> and
    <body>, without navigation, header, footer, scripts or styles; blocks become paragraphs.

    >>> html_to_text("<nav>Home</nav><article><h1>Deal</h1><p>Signed <b>today</b>.</p></article>")
    'Deal\\n\\nSigned today.'
    """
    parser = _Article()
    parser.feed(html)
    parser.close()
    for region in ("article", "main", "body"):
        text = "".join(parser.parts[region])
        paragraphs = [re.sub(r"[ \t]+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
        lines = ["\n".join(x.strip() for x in p.split("\n") if x.strip()) for p in paragraphs]
        text = "\n\n".join(p for p in lines if p)
        if text:
            return text
    return ""


_ROW = re.compile(r"^[^\n]*? \| [^\n]*? \| [^\n]*$", re.MULTILINE)


def tables(text: str) -> list[list[tuple[int, int]]]:
    """The tables of a text as :func:`html_to_text` writes them, a line per row with cells
    between " | ": each table's line spans, its header first.

    >>> t = "Outcomes\\nS.No. | Name | Signatory\\n1 | MoU on X | A, Minister\\n\\nEnd"
    >>> [[t[a:b] for a, b in table] for table in tables(t)]
    [['S.No. | Name | Signatory', '1 | MoU on X | A, Minister']]
    """
    out: list[list[tuple[int, int]]] = []
    run: list[tuple[int, int]] = []
    for m in _ROW.finditer(text):
        if run and text[run[-1][1]:m.start()] == "\n":
            run.append(m.span())
            continue
        if len(run) >= 2:
            out.append(run)
        run = [m.span()]
    if len(run) >= 2:
        out.append(run)
    return out


@dataclass(frozen=True)
class DateMention:
    """A date the text gives: ``value`` is xsd:date, gYearMonth or gYear lexical form;
    ``resolved`` says how a relative date was resolved (None when the text states it fully)."""

    start: int
    end: int
    text: str
    value: str
    resolved: str | None

    @property
    def datatype(self) -> str:
        return {10: "date", 7: "gYearMonth", 4: "gYear"}[len(self.value)]


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str, issued: dt.date) -> list[DateMention]:
    """Dates in ``text``, relative ones resolved against ``issued``, in text order.

    >>> [(d.text, d.value) for d in find_dates("signed today (Monday 15 May) in Tokyo; "
    ...  "projects announced in December. Last year it grew.", dt.date(2023, 5, 15))]
    [('today (Monday 15 May)', '2023-05-15'), ('in December', '2022-12'), ('Last year', '2022')]
    """
    iso = issued.isoformat()
    found: list[DateMention] = []

    def add(m: re.Match, value: str, resolved: str | None, group: int = 0) -> None:
        found.append(DateMention(m.start(group), m.end(group), m.group(group), value, resolved))

    for m in re.finditer(rf"\btoday \((?:(?:{WEEKDAY}),? )?(\d{{1,2}}) ({MONTH})\)", text):
        day = _day(issued.year, month_number(m.group(2)), int(m.group(1)))
        if day:
            add(m, day.isoformat(), f"day and month from the text; the year {issued.year} from "
                f"the document's date (issued {iso})")
    # "13 June", "3rd March 2025" (the Indian and British ordinal), "June 13th"
    for m in re.finditer(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({MONTH})(,? (\d{{4}}))?\b|"
                         rf"\b({DAY_MONTH}) (\d{{1,2}})"
                         rf"(?:st|nd|rd|th)?(,? (\d{{4}}))?\b", text):
        day_s, month_s, year_s = ((m.group(1), m.group(2), m.group(4)) if m.group(1)
                                  else (m.group(6), m.group(5), m.group(8)))
        year = int(year_s) if year_s else issued.year
        day = _day(year, month_number(month_s), int(day_s))
        if day:
            note = None if year_s else (f"day and month from the text; the year {year} from the "
                                        f"document's date (issued {iso})")
            add(m, day.isoformat(), note)
    # "on 2025.10.07", "2025-10-07", "2025/10/07": year first, so never ambiguous (a
    # day-first "7.10.2025" may be month-first, and is left alone)
    for m in re.finditer(r"(?<![\d.])((?:19|20)\d\d)([-./])(\d{1,2})\2(\d{1,2})(?!\d|\.\d)",
                         text):
        day = _day(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        if day:
            add(m, day.isoformat(), None)
    for m in re.finditer(rf"\b(?:in|since|from|until|by|on|during) (?:early |late |mid-)?"
                         rf"({MONTH})(?: (\d{{4}}))?\b(?! \d)", text):
        month = month_number(m.group(1))
        if m.group(2):
            add(m, f"{m.group(2)}-{month:02d}", None)
            continue
        # the tense of the sentence the month is in (not of the one before it)
        window = re.split(r"[.!?]\s", text[max(0, m.start() - 120):m.start()])[-1]
        past = re.search(r"\b(announced|signed|held|launched|opened|agreed|was|were|met|"
                         r"visited|took place|had|discussed)\b", window)
        future = re.search(r"\b(will|expected|next|due|plans? to|planned)\b", window)
        year = issued.year
        if month > issued.month and past and not future:
            year -= 1
        elif month < issued.month and future and not past:
            year += 1
        tense = "past" if year < issued.year else "future" if year > issued.year else "same"
        add(m, f"{year}-{month:02d}", f"\"{m.group(0)}\" read as the {tense} year's "
            f"{m.group(1)} relative to the document's date ({iso})")
    for m in re.finditer(r"\b(?:[Tt]oday|[Yy]esterday|[Tt]his (?:morning|afternoon|evening)|"
                         r"earlier in the day)\b(?! \()", text):
        day = issued - dt.timedelta(days=1 if m.group(0).lower() == "yesterday" else 0)
        add(m, day.isoformat(), f"\"{m.group(0)}\" in a document issued {iso}")
    for m in re.finditer(r"\bon the (\d{1,2})(?:st|nd|rd|th)\b(?! (?:of|century|anniversary|"
                         r"floor|day|meeting|session))", text):
        # "signed ... on the 13th" (Korean press style): that day of the document's month, or
        # of the month before when the document's day is earlier
        back = issued.replace(day=1) - dt.timedelta(days=1)
        day = _day(issued.year, issued.month, int(m.group(1)))
        if day is None or day > issued:
            day = _day(back.year, back.month, int(m.group(1)))
        if day:
            add(m, day.isoformat(), f"\"{m.group(0)}\" read as the day of the month of the "
                f"document's date ({iso}), or the month before")
    for m in re.finditer(rf"\b(?:[Oo]n|[Ll]ast|[Tt]his|[Nn]ext) ({WEEKDAY})\b(?!,? \d)", text):
        wanted = WEEKDAY.split("|").index(m.group(1))
        ahead = re.search(r"\b(?:will|next|to be)\b", text[max(0, m.start() - 60):m.start()])
        if m.group(0).lower().startswith("next") or ahead:
            day = issued + dt.timedelta(days=(wanted - issued.weekday()) % 7 or 7)
        else:
            day = issued - dt.timedelta(days=(issued.weekday() - wanted) % 7)
        add(m, day.isoformat(), f"\"{m.group(0)}\" read as the {m.group(1)} nearest the "
            f"document's date ({iso}) in the sentence's tense")
    # "was signed Tuesday at ...", "met Monday": a bare weekday after a past verb (wire style)
    for m in re.finditer(rf"\b(?:signed|inked|announced|met|held|agreed|launched|opened|visited)"
                         rf" ({WEEKDAY})\b(?!,? \d)", text):
        wanted = WEEKDAY.split("|").index(m.group(1))
        day = issued - dt.timedelta(days=(issued.weekday() - wanted) % 7)
        add(m, day.isoformat(), f"\"{m.group(1)}\" after a past verb read as the last "
            f"{m.group(1)} on or before the document's date ({iso})", 1)
    relative = {
        r"[Ll]ast year": (issued.year - 1, "year"), r"[Nn]ext year": (issued.year + 1, "year"),
        r"[Tt]his year": (issued.year, "year"),
        r"(?:[Oo]ver |[Ii]n |[Dd]uring )?[Tt]he (?:last|past) week|[Ll]ast week|[Tt]his week":
            (None, "week"),
        r"(?:[Ll]ast|[Tt]his) month": (None, "month"),
        r"in the (?:last|past) few days": (None, "days"),
    }
    for pattern, (year, unit) in relative.items():
        for m in re.finditer(rf"\b{pattern}\b", text):
            if unit == "year":
                add(m, str(year), f"\"{m.group(0)}\" in a document issued {iso} is {year}")
            else:
                day = issued - dt.timedelta(days=7 if unit == "week" else 0)
                if unit == "month" and m.group(0).lower().startswith("last"):
                    day = issued.replace(day=1) - dt.timedelta(days=1)
                add(m, f"{day.year}-{day.month:02d}", f"\"{m.group(0)}\" before the document's "
                    f"date ({iso}) falls in {MONTHS[day.month - 1]} {day.year}")
    for m in re.finditer(r"\b(?:in|since|by|from|until|during) ((?:19|20)\d\d)\b(?![-–/]\d)",
                         text):
        add(m, m.group(1), None, 1)
    return _non_overlapping(found)


def _non_overlapping(items: list[DateMention]) -> list[DateMention]:
    """Longest first, then earliest; drop any that overlaps one already kept."""
    kept: list[DateMention] = []
    for d in sorted(items, key=lambda d: (-(d.end - d.start), d.start)):
        if all(d.end <= k.start or d.start >= k.end for k in kept):
            kept.append(d)
    return sorted(kept, key=lambda d: d.start)


def document_date(text: str, given: str | None, meta_issued: str | None = None) -> dt.date:
    """The date relative dates are read against: ``given`` (--date), else the sidecar's issued
    date, else the first full date the text states; :class:`ExtractError` when there is none."""
    for value, origin in ((given, "--date"), (meta_issued, "issued")):
        if value:
            try:
                return dt.date.fromisoformat(str(value))
            except ValueError:
                raise ExtractError(f"{origin} {value!r} is not a date such as 2023-05-15") from None
    for d in find_dates(text, dt.date(1900, 1, 1)):
        if d.resolved is None and len(d.value) == 10:
            return dt.date.fromisoformat(d.value)
    raise ExtractError("the text states no full date to read 'today' or 'last year' against; "
                       "give the document's date with --date YYYY-MM-DD")
