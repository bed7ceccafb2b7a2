"""The DuckDB schema, as an ordered list of small numbered migrations.

Each migration runs once, in its own transaction, and is recorded by number and name in
`schema_migrations`. Never edit a migration that has shipped: add the next number.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

Migration = Callable[[duckdb.DuckDBPyConnection], None]


def m001_initial(db: duckdb.DuckDBPyConnection) -> None:
    db.execute("""
        CREATE TABLE documents (
            id           VARCHAR PRIMARY KEY,   -- sha256 of the text, 16 hex digits
            title        VARCHAR,
            source       VARCHAR,
            url          VARCHAR,
            published_at DATE,
            text         VARCHAR NOT NULL,
            path         VARCHAR,               -- where it was first read from
            char_count   INTEGER NOT NULL,
            meta         JSON,
            ingested_at  TIMESTAMPTZ NOT NULL DEFAULT now()
        )""")
    db.execute("""
        CREATE TABLE runs (
            id             VARCHAR PRIMARY KEY,
            engine         VARCHAR NOT NULL,
            model          VARCHAR,
            prompt_version VARCHAR,
            prompt_hash    VARCHAR,
            schema_version VARCHAR NOT NULL,
            parameters     JSON,
            config_hash    VARCHAR NOT NULL,    -- same config => a re-run supersedes items
            code_version   VARCHAR,
            started_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
            finished_at    TIMESTAMPTZ,
            status         VARCHAR NOT NULL DEFAULT 'running'  -- running | done | interrupted
        )""")
    db.execute("""
        CREATE TABLE run_documents (
            run_id      VARCHAR NOT NULL,
            document_id VARCHAR,                -- null when the input could not be read
            path        VARCHAR,
            status      VARCHAR NOT NULL,       -- ok | failed
            error       VARCHAR,
            quotes      INTEGER,
            claims      INTEGER,
            events      INTEGER,
            dropped     INTEGER,                -- items the engine could not ground
            latency_ms  DOUBLE,
            finished_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )""")
    db.execute("CREATE SEQUENCE item_ids")
    db.execute("""
        CREATE TABLE quotes (
            id            BIGINT PRIMARY KEY DEFAULT nextval('item_ids'),
            document_id   VARCHAR NOT NULL,
            run_id        VARCHAR NOT NULL,
            text          VARCHAR NOT NULL,
            speaker       VARCHAR,
            speaker_title VARCHAR,
            cue           VARCHAR,
            kind          VARCHAR,
            char_start    INTEGER NOT NULL,
            char_end      INTEGER NOT NULL,
            alignment     VARCHAR NOT NULL
        )""")
    db.execute("""
        CREATE TABLE claims (
            id          BIGINT PRIMARY KEY DEFAULT nextval('item_ids'),
            document_id VARCHAR NOT NULL,
            run_id      VARCHAR NOT NULL,
            text        VARCHAR NOT NULL,
            claimant    VARCHAR,
            cue         VARCHAR,
            hedged      BOOLEAN,
            char_start  INTEGER NOT NULL,
            char_end    INTEGER NOT NULL,
            alignment   VARCHAR NOT NULL
        )""")
    db.execute("""
        CREATE TABLE events (
            id          BIGINT PRIMARY KEY DEFAULT nextval('item_ids'),
            document_id VARCHAR NOT NULL,
            run_id      VARCHAR NOT NULL,
            event_type  VARCHAR NOT NULL,
            text        VARCHAR NOT NULL,
            trigger     VARCHAR,
            actors      VARCHAR[],
            location    VARCHAR,
            time_text   VARCHAR,
            time        VARCHAR,               -- ISO: YYYY, YYYY-MM or YYYY-MM-DD
            char_start  INTEGER NOT NULL,
            char_end    INTEGER NOT NULL,
            alignment   VARCHAR NOT NULL
        )""")
    db.execute("""
        CREATE TABLE llm_calls (
            run_id            VARCHAR NOT NULL,
            document_id       VARCHAR,
            model             VARCHAR,
            prompt_tokens     INTEGER,
            completion_tokens INTEGER,
            latency_ms        DOUBLE,
            attempt           INTEGER,
            outcome           VARCHAR,          -- ok | reask | error | cached
            error             VARCHAR,
            chunk_index       INTEGER,
            created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
        )""")
    for table in ("quotes", "claims", "events"):
        db.execute(f"CREATE INDEX {table}_document ON {table}(document_id)")


def m002_evals(db: duckdb.DuckDBPyConnection) -> None:
    db.execute("""
        CREATE TABLE evals (
            id             VARCHAR PRIMARY KEY,
            run_id         VARCHAR,
            engine         VARCHAR,
            model          VARCHAR,
            prompt_version VARCHAR,
            gold_path      VARCHAR NOT NULL,
            documents      INTEGER NOT NULL,
            metrics        JSON NOT NULL,       -- the whole metrics.json
            created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
        )""")
    db.execute("""
        CREATE TABLE eval_scores (
            eval_id   VARCHAR NOT NULL,
            kind      VARCHAR NOT NULL,         -- quotes | claims | events
            match     VARCHAR NOT NULL,         -- lenient | strict
            precision DOUBLE,
            recall    DOUBLE,
            f1        DOUBLE,
            tp        INTEGER,
            fp        INTEGER,
            fn        INTEGER
        )""")


def m003_rejections(db: duckdb.DuckDBPyConnection) -> None:
    """What an engine produced and the grounding stage refused, with why."""
    db.execute("CREATE SEQUENCE rejections_id START 1")
    db.execute("""
        CREATE TABLE rejections (
            id          BIGINT PRIMARY KEY DEFAULT nextval('rejections_id'),
            run_id      VARCHAR NOT NULL,
            document_id VARCHAR NOT NULL,
            kind        VARCHAR NOT NULL,       -- quote | claim | event
            item        JSON NOT NULL,          -- the raw item as the engine gave it
            reason      VARCHAR NOT NULL,       -- not_in_text | not_quoted | too_short | ...
            field       VARCHAR,                -- set when only this field was cleared
            drops_item  BOOLEAN NOT NULL,       -- the item was refused whole
            message     VARCHAR NOT NULL,       -- what a re-ask tells the model
            source      VARCHAR NOT NULL,       -- rules | model
            chunk_index INTEGER NOT NULL,
            created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
        )""")
    db.execute("CREATE INDEX rejections_document ON rejections(document_id)")


def m004_partial(db: duckdb.DuckDBPyConnection) -> None:
    """A document whose model part failed is stored `partial`: status ok | partial |
    failed, with the model's error and the chunks it failed on."""
    db.execute("ALTER TABLE run_documents ADD COLUMN model_error VARCHAR")
    db.execute("ALTER TABLE run_documents ADD COLUMN failed_chunks INTEGER[]")


def m005_entities(db: duckdb.DuckDBPyConnection) -> None:
    """One row per canonical person or organisation of a document (per run), with its
    mentions as spans; speakers, claimants and event actors point to it by id."""
    db.execute("""
        CREATE TABLE entities (
            id          VARCHAR PRIMARY KEY,    -- hash of run, document, type and name
            document_id VARCHAR NOT NULL,
            run_id      VARCHAR NOT NULL,
            name        VARCHAR NOT NULL,       -- canonical: the same string across documents
            type        VARCHAR NOT NULL,       -- person | organisation
            mentions    STRUCT(char_start INTEGER, char_end INTEGER, text VARCHAR)[] NOT NULL
        )""")
    db.execute("CREATE INDEX entities_document ON entities(document_id)")
    db.execute("ALTER TABLE quotes ADD COLUMN speaker_entity_id VARCHAR")
    db.execute("ALTER TABLE claims ADD COLUMN claimant_entity_id VARCHAR")
    db.execute("ALTER TABLE events ADD COLUMN actor_entity_ids VARCHAR[]")


def m006_languages(db: duckdb.DuckDBPyConnection) -> None:
    """A document's language (ISO 639-1, null when it could not be told), on the document
    because it is a property of its text; the kinds an engine skipped for it and why, on
    run_documents because they depend on the engine (the rules have no French claims, a
    model may)."""
    db.execute("ALTER TABLE documents ADD COLUMN language VARCHAR")
    db.execute("ALTER TABLE run_documents ADD COLUMN skipped_kinds VARCHAR[]")
    db.execute("ALTER TABLE run_documents ADD COLUMN skip_reason VARCHAR")


def m007_call_log(db: duckdb.DuckDBPyConnection) -> None:
    """The call log (`extractor logs`): each model call's request messages and answer text
    (never a header: no key or token)."""
    db.execute("ALTER TABLE llm_calls ADD COLUMN messages JSON")
    db.execute("ALTER TABLE llm_calls ADD COLUMN response VARCHAR")


def m008_run_lifecycle(db: duckdb.DuckDBPyConnection) -> None:
    """Runs close and resume: who writes a run (pid, host: for the "database is busy"
    line), how many documents it skipped as already stored `ok` by its configuration, and
    the configuration on each document row, so a re-run finds what is done and what it
    replaces by an indexed key instead of a subquery over runs; a row whose items a later
    run replaced says by which run. Status: running | done |
    failed | interrupted."""
    db.execute("ALTER TABLE runs ADD COLUMN pid INTEGER")
    db.execute("ALTER TABLE runs ADD COLUMN host VARCHAR")
    db.execute("ALTER TABLE runs ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE run_documents ADD COLUMN config_hash VARCHAR")
    # set when a later run of the same configuration replaced this row's items
    db.execute("ALTER TABLE run_documents ADD COLUMN superseded_by VARCHAR")
    db.execute("""
        UPDATE run_documents SET config_hash = runs.config_hash
        FROM runs WHERE runs.id = run_documents.run_id""")
    db.execute("""
        UPDATE run_documents AS rd SET superseded_by = latest.run_id
        FROM (SELECT document_id, config_hash, arg_max(run_id, finished_at) AS run_id
              FROM run_documents WHERE status IN ('ok', 'partial') GROUP BY ALL) AS latest
        WHERE rd.document_id = latest.document_id AND rd.config_hash = latest.config_hash
          AND rd.status IN ('ok', 'partial') AND rd.run_id != latest.run_id""")
    db.execute("CREATE INDEX run_documents_document ON run_documents(document_id)")


def m010_eval_gold_hash(db: duckdb.DuckDBPyConnection) -> None:
    """Which gold set and which scorer an eval used, so scores from different ones are
    never compared by accident (null for evals stored before this)."""
    db.execute("ALTER TABLE evals ADD COLUMN gold_hash VARCHAR")
    db.execute("ALTER TABLE evals ADD COLUMN scorer_version VARCHAR")


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "initial", m001_initial),
    (2, "evals", m002_evals),
    (3, "rejections", m003_rejections),
    (4, "partial", m004_partial),
    (5, "entities", m005_entities),
    (6, "languages", m006_languages),
    (7, "call_log", m007_call_log),
    (8, "run_lifecycle", m008_run_lifecycle),
    (10, "eval_gold_hash", m010_eval_gold_hash),
]


def migrate(db: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet applied; return their names."""
    db.execute("""
        CREATE TABLE IF NOT EXISTS schema_migrations (
            number     INTEGER PRIMARY KEY,
            name       VARCHAR NOT NULL,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )""")
    done = {row[0] for row in db.execute("SELECT number FROM schema_migrations").fetchall()}
    applied = []
    for number, name, migration in MIGRATIONS:
        if number in done:
            continue
        db.execute("BEGIN TRANSACTION")
        try:
            migration(db)
            db.execute("INSERT INTO schema_migrations (number, name) VALUES (?, ?)", [number, name])
            db.execute("COMMIT")
        except Exception:
            db.execute("ROLLBACK")
            raise
        applied.append(f"{number:03d}_{name}")
    return applied
