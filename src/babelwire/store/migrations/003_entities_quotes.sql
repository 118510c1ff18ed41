-- Entities, their mentions and quotes, kept in tables so listings can query them.
CREATE TABLE entities (
    id    TEXT PRIMARY KEY,
    name  TEXT NOT NULL,
    label TEXT NOT NULL
);

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id  TEXT NOT NULL,
    text       TEXT NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    label      TEXT NOT NULL,
    lang       TEXT,
    PRIMARY KEY (article_id, start)
);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE quotes (
    article_id        TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    text              TEXT NOT NULL,
    start             INTEGER NOT NULL,
    end               INTEGER NOT NULL,
    cue               TEXT,
    speaker_text      TEXT,
    speaker_entity_id TEXT,
    medium            TEXT,
    partial           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, position)
);
CREATE INDEX quotes_speaker ON quotes(speaker_entity_id);
