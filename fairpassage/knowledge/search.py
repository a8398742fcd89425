"""Full-text search of the guide behind one interface, on SQLite (FTS5) and PostgreSQL.

Both backends index the same prepared text: folded with :func:`fairpassage.text.normalise.fold`
(case, width, Vietnamese diacritics, hiragana to katakana), and every run of Japanese or
Chinese characters cut into overlapping two-character pieces, since Japanese puts no spaces
between words. A query goes through the same preparation, so ``tien coc`` finds ``tiền cọc``
and ``ﾊﾟｽﾎﾟｰﾄ`` finds ``パスポート``. Every query term must match; the last Latin term also
matches as a prefix, so a word being typed still finds results.

This module is the only place with database-specific SQL in the guide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from fairpassage.text.normalise import fold

MAX_TERMS = 24

_CJK = (
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # compatibility ideographs
    "\u31f0-\u31ff"  # katakana phonetic extensions
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
_SPLIT = re.compile(f"([{_CJK}]+)")


def _cjk_pieces(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def terms(text: str) -> list[str]:
    """The index terms of ``text``: folded words, and two-character pieces of Japanese."""
    out: list[str] = []
    for word in fold(text).split():
        for part in _SPLIT.split(word):
            if not part:
                continue
            if _CJK_RUN.fullmatch(part):
                out.extend(_cjk_pieces(part))
            else:
                out.append(part)
    return out


def index_text(text: str) -> str:
    """Text as stored in the index: its terms separated by single spaces."""
    return " ".join(terms(text))


@dataclass(frozen=True)
class Hit:
    article_id: int
    language: str
    score: float


def _query_terms(query: str) -> list[tuple[str, bool]]:
    """Distinct query terms, each with whether it matches as a prefix."""
    words = terms(query)[:MAX_TERMS]
    seen: list[str] = []
    for word in words:
        if word not in seen:
            seen.append(word)
    out: list[tuple[str, bool]] = []
    for n, word in enumerate(seen):
        single_cjk = len(word) == 1 and bool(_CJK_RUN.fullmatch(word))
        last_latin = n == len(seen) - 1 and not _CJK_RUN.search(word)
        out.append((word, single_cjk or last_latin))
    return out


def search(query: str, *, limit: int = 20) -> list[Hit]:
    """Best-first hits for ``query`` over every published translation."""
    wanted = _query_terms(query)
    if not wanted:
        return []
    if connection.vendor == "postgresql":
        return _search_postgresql(wanted, limit)
    if connection.vendor == "sqlite":
        return _search_sqlite(wanted, limit)
    raise NotImplementedError(f"no guide search for the {connection.vendor} database")


def _search_sqlite(wanted: list[tuple[str, bool]], limit: int) -> list[Hit]:
    # Terms hold only letters and digits after folding; quoting makes FTS5 read each one as
    # a plain string, never as an operator.
    match = " AND ".join(f'"{word}"' + ("*" if prefix else "") for word, prefix in wanted)
    sql = (
        "SELECT d.article_id, d.language, bm25(knowledge_search_fts, 10.0, 1.0) AS rank "
        "FROM knowledge_search_fts JOIN knowledge_searchdocument d "
        "ON d.id = knowledge_search_fts.rowid "
        "WHERE knowledge_search_fts MATCH %s ORDER BY rank, d.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, limit])
        return [Hit(int(a), str(lang), -float(rank)) for a, lang, rank in cursor.fetchall()]


def _search_postgresql(wanted: list[tuple[str, bool]], limit: int) -> list[Hit]:
    query = " & ".join(f"'{word}'" + (":*" if prefix else "") for word, prefix in wanted)
    sql = (
        "SELECT article_id, language, ts_rank(search_vector, q) AS rank "
        "FROM knowledge_searchdocument, CAST(%s AS tsquery) AS q "
        "WHERE search_vector @@ q ORDER BY rank DESC, id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, limit])
        return [Hit(int(a), str(lang), float(rank)) for a, lang, rank in cursor.fetchall()]


# The index beside the documents table, for the migration (schema_editor gives the database).

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE knowledge_search_fts USING fts5(title_text, body_text, "
    "content='knowledge_searchdocument', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER knowledge_search_fts_ai AFTER INSERT ON knowledge_searchdocument BEGIN "
    "INSERT INTO knowledge_search_fts(rowid, title_text, body_text) "
    "VALUES (new.id, new.title_text, new.body_text); END",
    "CREATE TRIGGER knowledge_search_fts_ad AFTER DELETE ON knowledge_searchdocument BEGIN "
    "INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, title_text, body_text) "
    "VALUES ('delete', old.id, old.title_text, old.body_text); END",
    "CREATE TRIGGER knowledge_search_fts_au AFTER UPDATE ON knowledge_searchdocument BEGIN "
    "INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, title_text, body_text) "
    "VALUES ('delete', old.id, old.title_text, old.body_text); "
    "INSERT INTO knowledge_search_fts(rowid, title_text, body_text) "
    "VALUES (new.id, new.title_text, new.body_text); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS knowledge_search_fts_au",
    "DROP TRIGGER IF EXISTS knowledge_search_fts_ad",
    "DROP TRIGGER IF EXISTS knowledge_search_fts_ai",
    "DROP TABLE IF EXISTS knowledge_search_fts",
]
# The terms are already folded and separated by spaces: the 'simple' configuration only splits
# and lower-cases them. Titles weigh more than bodies.
POSTGRESQL_CREATE = [
    "ALTER TABLE knowledge_searchdocument ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title_text), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, body_text), 'B')) STORED",
    "CREATE INDEX knowledge_search_vector_gin ON knowledge_searchdocument "
    "USING GIN (search_vector)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS knowledge_search_vector_gin",
    "ALTER TABLE knowledge_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor: BaseDatabaseSchemaEditor, statements: dict[str, list[str]]) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def index_create(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Migration step: create the full-text index for the database in use."""
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE})


def index_drop(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Migration step (reverse): remove the full-text index."""
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})
