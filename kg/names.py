"""The name index of a build: every label, alias and acronym of every entity, in every language,
folded for case, accents and punctuation (:func:`kg.query.lookup.fold`), in SQLite
(``names.sqlite`` in the build folder), so that ``kg lookup`` reads a few candidates instead
of every name in the graph.

The candidates for a query are every name that can score at least the lookup's threshold
(:func:`kg.query.lookup.score`, 0.6), found by one of the ways that score can be reached:

- the name equal to the query, or holding it (a phrase or a substring: an FTS5 table with the
  trigram tokenizer finds substrings);
- names each of whose words is close to a query word (difflib ratio >= 0.75): every word of
  the vocabulary of a length that can reach that ratio is compared, as the score compares;
- whole-name misspellings (difflib ratio >= 0.6, lengths within a factor of two): difflib's
  ratio is at most twice the size of the two strings' common multiset of characters over their
  total length, so names whose character counts (kept per name) cannot reach 0.6 are left out
  in SQL; for the others, which no other way reached, the ratio is their score, so those below
  0.6 are left out too. Once the other ways found as many entities as the lookup keeps, the
  bound is the worst kept score instead of 0.6: a misspelt name below it changes nothing.
  The names left are compared highest bound first, and no longer once the bound falls below
  the worst kept score (on a large build a long query, an agreement's title, has thousands).

The lookup then scores the candidates with the same function as before, so its answers are the
ones reading every name gave (tests/test_scale.py holds them to that).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

FILE = "names.sqlite"
_CLASSES = [*"abcdefghijklmnopqrstuvwxyz0123456789"]  # one column each, "sp" and "other"
_COLUMN = {c: (c if c.isalpha() else f"d{c}") for c in _CLASSES}

_COUNTS = ", ".join(f"{col} INTEGER NOT NULL" for col in [*_COLUMN.values(), "sp", "other"])
_SCHEMA = f"""
CREATE TABLE names (id INTEGER PRIMARY KEY, entity TEXT NOT NULL, name TEXT NOT NULL,
                    lang TEXT NOT NULL, kind TEXT NOT NULL, folded TEXT NOT NULL);
CREATE TABLE words (word TEXT NOT NULL, name INTEGER NOT NULL);
CREATE TABLE vocabulary (word TEXT PRIMARY KEY, size INTEGER NOT NULL, {_COUNTS}) WITHOUT ROWID;
CREATE TABLE characters (id INTEGER PRIMARY KEY, size INTEGER NOT NULL, {_COUNTS});
CREATE VIRTUAL TABLE grams USING fts5 (folded, content='names', content_rowid='id',
                                       tokenize='trigram');
"""
_INDEXES = """
CREATE INDEX names_folded ON names (folded);
CREATE INDEX words_word ON words (word);
CREATE INDEX vocabulary_size ON vocabulary (size);
CREATE INDEX characters_size ON characters (size);
"""  # made once the tables are filled: faster than keeping them up to date row by row


def _counts(folded: str) -> tuple[list[int], int, int]:
    """Counts of each letter and digit, of spaces, and of every other character."""
    counts = Counter(folded)
    known = [counts.get(c, 0) for c in _CLASSES]
    spaces = counts.get(" ", 0)
    return known, spaces, len(folded) - sum(known) - spaces


def write(path: Path, rows: Iterable[tuple[str, str, str, str]]) -> None:
    """Write the index of ``rows`` (entity IRI, name, language, kind) to a new file ``path``;
    the same rows give the same bytes."""
    from kg.query.lookup import fold

    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.executescript(_SCHEMA)
        rows = sorted(set(rows))
        folded = [fold(name) for _, name, _, _ in rows]
        connection.executemany(
            "INSERT INTO names VALUES (?, ?, ?, ?, ?, ?)",
            [(i, *row, f) for i, (row, f) in enumerate(zip(rows, folded, strict=True), 1)])
        connection.executemany(
            f"INSERT INTO characters VALUES ({', '.join('?' * (len(_CLASSES) + 4))})",
            [(i, len(f), *known, spaces, other) for i, f in enumerate(folded, 1)
             for known, spaces, other in [_counts(f)]])
        words = [(w, i) for i, f in enumerate(folded, 1) for w in dict.fromkeys(f.split())]
        connection.executemany("INSERT INTO words VALUES (?, ?)", words)
        connection.executemany(
            f"INSERT INTO vocabulary VALUES ({', '.join('?' * (len(_CLASSES) + 4))})",
            [(w, len(w), *known, spaces, other) for w in sorted({w for w, _ in words})
             for known, spaces, other in [_counts(w)]])
        connection.executescript(_INDEXES)
        connection.execute("INSERT INTO grams (grams) VALUES ('rebuild')")
        connection.commit()
    finally:
        connection.close()


def candidates(path: Path, query: str,
               floor: Callable[[list[tuple[str, str, str]]], float] | None = None
               ) -> list[tuple[str, str, str]]:
    """``(entity IRI, name, folded name)`` of every name that may match ``query`` (see the
    module). ``floor``, given the names every other way found, says the least score a
    misspelt name needs to change the answer (the worst kept match's, once there are enough
    of them): only names whose character counts can reach it are then compared whole."""
    from kg.query.lookup import _similar as similar
    from kg.query.lookup import fold

    q = fold(query)
    if not q:
        return []
    connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        ids = {i for (i,) in connection.execute("SELECT id FROM names WHERE folded = ?", (q,))}
        if len(q) >= 3:  # names holding the query (a phrase in them, or a substring)
            phrase = '"' + q.replace('"', '""') + '"'
            ids |= {i for (i,) in connection.execute(
                "SELECT rowid FROM grams WHERE grams MATCH ?", (phrase,))}
        ids |= _by_words(connection, q.split(), similar)
        found = _rows(connection, sorted(ids))
        cut = max(0.6, floor(found) - 0.001) if floor else 0.6  # scores are rounded to 0.001
        misspelt = [(i, bound) for i, bound in _misspelt(connection, q, cut) if i not in ids]
        for part in _chunks(misspelt, 200):  # only the whole name can match these: its
            if part[0][1] < cut - 1e-9:        # ratio is their score, at most its bound
                break  # best bounds first: no name from here on can be kept
            found += [row for row in _rows(connection, [i for i, _ in part])
                      if similar(q, row[2], cut) >= cut]
            if floor:
                cut = max(cut, floor(found) - 0.001)
    finally:
        connection.close()
    return found


def _rows(connection: sqlite3.Connection, ids: list[int]) -> list[tuple[str, str, str]]:
    return connection.execute(
        f"SELECT entity, name, folded FROM names WHERE id IN ({','.join('?' * len(ids))}) "
        "ORDER BY id", ids).fetchall() if ids else []


def _common(q: str) -> str:
    """SQL for how many characters a row's counts have in common with ``q`` (at least as many
    as difflib can match: its ratio is at most twice this over the two lengths)."""
    known, spaces, other = _counts(q)
    terms = [f"min({_COLUMN[c]}, {n})" for c, n in zip(_CLASSES, known, strict=True) if n]
    terms += [f"min(sp, {spaces})"] * bool(spaces) + [f"min(other, {other})"] * bool(other)
    return " + ".join(terms) or "0"


def _misspelt(connection: sqlite3.Connection, q: str, cut: float = 0.6
              ) -> list[tuple[int, float]]:
    """``(id, bound)`` of the names whose length is within a factor of two of the query's and
    whose characters in common with it could give a difflib ratio of ``cut`` (sum over
    characters of the smaller count >= cut / 2 * both lengths), highest bound first: the bound
    is twice that sum over both lengths, which difflib's ratio never exceeds."""
    rows = connection.execute(
        f"SELECT id, size, {_common(q)} AS common_ FROM characters WHERE size > ? AND size < ? "
        f"AND common_ >= ? * (? + size)", (len(q) / 2, len(q) * 2, cut / 2 - 1e-9, len(q)))
    return sorted(((i, 2 * common / (len(q) + size)) for i, size, common in rows),
                  key=lambda row: (-row[1], row[0]))


def _by_words(connection: sqlite3.Connection, words: list[str], similar) -> set[int]:
    """Names each query word is close to one of the words of (difflib ratio >= 0.75): for
    each query word, the vocabulary's words of a length and characters that could reach the
    ratio (as in :func:`_misspelt`), compared. The names of the query word with the fewest
    are read from the index, and the other words checked on their folded names (a common
    word such as "and" is in most names)."""
    near: dict[str, set[str]] = {}
    for word in dict.fromkeys(words):
        near[word] = {w for (w,) in connection.execute(
            f"SELECT word FROM vocabulary WHERE size BETWEEN ? AND ? "
            f"AND {_common(word)} >= 0.375 * (? + size)",
            (int(len(word) * 0.6), int(len(word) / 0.6) + 1, len(word)))
            if similar(word, w, 0.75) >= 0.75}
        if not near[word]:
            return set()
    rarest = min(near, key=lambda word: (_postings(connection, near[word]), word))
    ids = set()
    for part in _chunks(sorted(near[rarest]), 500):
        ids |= {i for (i,) in connection.execute(
            f"SELECT name FROM words WHERE word IN ({','.join('?' * len(part))})", part)}
    others = [near[word] for word in near if word != rarest]
    if not others:
        return ids
    found = set()
    for part in _chunks(sorted(ids), 10000):
        found |= {i for i, folded in connection.execute(
            f"SELECT id, folded FROM names WHERE id IN ({','.join('?' * len(part))})", part)
            if all(not close.isdisjoint(folded.split()) for close in others)}
    return found


def _postings(connection: sqlite3.Connection, words: set[str]) -> int:
    """How many (word, name) entries the index has for ``words``."""
    return sum(connection.execute(
        f"SELECT count(*) FROM words WHERE word IN ({','.join('?' * len(part))})",
        part).fetchone()[0] for part in _chunks(sorted(words), 500))


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
