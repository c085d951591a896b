"""The surviving mutants of ``scripts/mutation.py`` that cannot change what a module does,
each with the reason: a mutant listed here is counted as equivalent, not as a gap in the tests.

Listed as (original line, mutated line), both stripped, exactly as cosmic-ray writes them. Add a
survivor here only with an argument that no input can tell it from the original; otherwise it
wants a test.
"""

from __future__ import annotations

import re

__all__ = ["EQUIVALENT"]


def _last_for_first(line: str, count: int | None = None) -> set[tuple[str, str]]:
    """The mutants of ``line`` that index ``[-1]`` where it indexes ``[0]`` (each of the first
    ``count`` places, or all): the same item where what is indexed holds one."""
    places = [match.start() for match in re.finditer(re.escape("[0]"), line)][:count]
    return {(line, f"{line[:place]}[ -1]{line[place + 3 :]}") for place in places}


def _keywords_also_positional(*lines: str) -> set[tuple[str, str]]:
    """The mutants of these signatures with ``/`` for ``*``: every caller passes what follows
    by keyword (and what precedes by position), so the same calls work either way."""
    return {(line, line.replace("*,", "/,", 1)) for line in lines}


# Survivors that cannot change what a module does, as (line, mutated line), each with why.
EQUIVALENT: dict[str, set[tuple[str, str]]] = {
    "_batch._store": {
        *_keywords_also_positional(
            "*,",  # release(..., *, unsent=False)
            "def unclaim(self, worker: str, item: BatchItem, *, unsent: bool) -> None:",
            "self, cursor: Any, worker: str, item: BatchItem, *, after: float, unsent: bool",
            "def reject(self, worker: str, item: BatchItem, error: str, *, unsent: bool) -> None:",
        ),
        # an UPDATE of one primary key changes 0 or 1 rows: != 1 is < 1, == 1 is >= 1
        ("if changed != 1:", "if changed < 1:"),
        (
            "if changed == 1 and status == ItemStatus.CREATED:",
            "if changed >= 1 and status == ItemStatus.CREATED:",
        ),
        # given back "now" or "a second ago": claimable at once either way
        (
            "self._unclaim(cursor, worker, item, after=0.0, unsent=unsent)",
            "self._unclaim(cursor, worker, item, after= -1.0, unsent=unsent)",
        ),
        # first or last of a result with one row (a key, an aggregate, LIMIT 1, RETURNING of
        # a key) or, where a column is indexed too, one column
        *_last_for_first("if rows[0][0] != digest:", 1),
        *_last_for_first(
            'f"({rows[0][1]} prompts); use its prompts file, another --run, or another store"'
        ),
        *_last_for_first("return str(rows[0][0]) if rows and rows[0][0] else None"),
        *_last_for_first("return bool(rows and rows[0][0])"),
        *_last_for_first("given, budget, learned, ramp, paused = run[0]"),
        *_last_for_first("index, sent_at = rows[0]"),
        *_last_for_first("item = item_from_row(claimed[0])"),
        *_last_for_first("return float(rows[0][0])"),
        *_last_for_first(
            "learned = running if rows[0][0] is None else min(int(rows[0][0]), running)"
        ),
        *_last_for_first("return int(rows[0][0]) if rows and rows[0][0] is not None else None"),
        *_last_for_first("if owned[0][0]:"),
        *_last_for_first("ceiling = run[0][0] if run else None"),
        *_last_for_first("count, oldest, now = rows[0]"),
    },
    "_paths": {
        # inside(): a name with no separator, not "" "." "..", always has the directory as its
        # parent: the last clause is a second line of defence the first two already cover
        *(
            (
                'if Path(name).name != name or name in {"", ".", ".."} or candidate.parent '
                "!= directory:",
                'if Path(name).name != name or name in {"", ".", ".."} or candidate.parent '
                f"{spelling} directory:",
            )
            for spelling in ("<", ">", "is")
        ),
        # CPython hands back the very string when nothing was changed (re.sub without a match,
        # a slice of the whole, pathlib's name of a plain name): ``is`` agrees with ``==``
        (
            'if Path(name).name != name or name in {"", ".", ".."} or candidate.parent '
            "!= directory:",
            'if Path(name).name is not name or name in {"", ".", ".."} or candidate.parent '
            "!= directory:",
        ),
        (
            "if cleaned != server_string or not cleaned:",
            "if cleaned is not server_string or not cleaned:",
        ),
    },
    "_retry": {
        *_keywords_also_positional("*,"),  # delay(attempt, *, method=..., ...)
        # a date at most a minute ahead of a clock past 1970-01-01T00:01: t % now == t - now
        # (and a date in the past is refused either way, as negative or as over a minute)
        (
            "seconds = parsed.timestamp() - (time.time() if now is None else now)",
            "seconds = parsed.timestamp() % (time.time() if now is None else now)",
        ),
    },
    "_dialects": {
        # an annotation (never evaluated)
        *(
            (
                "def get_dialect(dialect: str | Dialect) -> Dialect:",
                f"def get_dialect(dialect: str {operator} Dialect) -> Dialect:",
            )
            for operator in ("+", "-", "*", "/", "//", "%", "**", ">>", "<<", "&", "^")
        ),
        # a fraction's bounds: whatever falls outside 0..1 either way is clamped to 0 percent
        *(
            (
                'return {"progress": _percent(progress * 100 if 0 <= progress <= 1 else progress)}',
                f'return {{"progress": _percent(progress * 100 if {bound} progress <= 1 else '
                "progress)}",
            )
            for bound in ("0 !=", "0 <", "-1 <=")
        ),
    },
    "_reconcile": {
        # the last part of a split on "/" is the same whatever the number of splits
        *(
            (
                'return asked.rsplit("/", 1)[-1].lower() == shown.rsplit("/", 1)[-1].lower()',
                f'return asked.rsplit("/", {left})[-1].lower() == shown.rsplit("/", {right})'
                "[-1].lower()",
            )
            for left, right in ((2, 1), (1, 2))
        ),
        # searched counts up by one from 0, and find_created refuses a limit below 1
        ("if self.searched >= limit:", "if self.searched == limit:"),
        # sent in 1970 or a second either side of it: no listed video is older
        ("sent_at: float = 0.0", "sent_at: float = 1.0"),
        ("sent_at: float = 0.0", "sent_at: float = -1.0"),
    },
    "_batch._operations": {
        *_keywords_also_positional(
            "def status(self, *, details: bool = True) -> RunStatus:",
            "def retry_failed(self, *, uncertain: bool = False) -> int:",
        ),
        # the items listed are failed or uncertain (the query asks for those two only), and
        # "failed" sorts before "uncertain"
        (
            "failures=[i for i in items if i.status == ItemStatus.FAILED],",
            "failures=[i for i in items if i.status <= ItemStatus.FAILED],",
        ),
        (
            "uncertain=[i for i in items if i.status == ItemStatus.UNCERTAIN],",
            "uncertain=[i for i in items if i.status >= ItemStatus.UNCERTAIN],",
        ),
        # no run: a window of at least one second, whatever the time since a start of -1..1
        *(
            (
                "budget, learned, given, since_start = run[0] if run else (None, None, None, 0.0)",
                "budget, learned, given, since_start = run[0] if run else (None, None, None, "
                f"{since})",
            )
            for since in ("1.0", "-1.0")
        ),
        # first or last of a result with one row (a key, an aggregate) and one column
        *_last_for_first("return int(rows[0][0])"),
        *_last_for_first(
            "budget, learned, given, since_start = run[0] if run else (None, None, None, 0.0)"
        ),
        *_last_for_first(")[0][0]"),  # COUNT(*) of the recent downloads
        *_last_for_first(")[0]"),  # SUM(reserved), SUM(reported_cost): one row
    },
    "_batch._schema": {
        # tightest() hands back the learned cap's own object when it is the smallest (int() of
        # an int is that int, min() keeps the first of equals): ``is`` agrees with ``==``
        (
            'learned = " (learned from the server)" if self.cap == self.learned_cap else ""',
            'learned = " (learned from the server)" if self.cap is self.learned_cap else ""',
        ),
    },
    "_download": {
        *_keywords_also_positional(
            "def atomic_file(target: Path, *, durable: bool = True) -> Iterator[IO[bytes]]:",
            "def end(self, response: httpx.Response, *, broken: bool) -> None:",
        ),
        # a Content-Range total is digits or "*", and digits sort after "*"
        ('or match.group(3) == "*"', 'or match.group(3) <= "*"'),
        ('if match and match.group(3) != "*":', 'if match and match.group(3) > "*":'),
        # counts of bytes and the pattern's numbers are never negative
        ("elif self.received == 0:", "elif self.received <= 0:"),
        ("asked = self.received > 0", "asked = self.received != 0"),
        (
            "if first == 0 and last == total - 1 == size - 1:",
            "if first <= 0 and last == total - 1 == size - 1:",
        ),
        # start() sets it from every answer before anything reads it
        ("self._encoded = False", "self._encoded = True"),
    },
    "_body": {
        # 15 | 16, 15 + 16, 15 ^ 16 and 15 | 17 are all 31: gzip's window bits either way
        *(
            (f'"{name}": zlib.MAX_WBITS | 16,', f'"{name}": zlib.MAX_WBITS {spelling},')
            for name in ("gzip", "x-gzip")
            for spelling in ("+ 16", "^ 16", "| 17")
        ),
        *_keywords_also_positional("*,"),  # BodyReader(response, *, limit=..., ...)
        # 15 is an interned small int: ``is`` and ``==`` agree
        (
            "if self._wbits == zlib.MAX_WBITS and not self._started:  # raw deflate, then",
            "if self._wbits is zlib.MAX_WBITS and not self._started:  # raw deflate, then",
        ),
    },
}
