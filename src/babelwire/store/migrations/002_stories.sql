-- Embedding cache, the clustering features of each article, and stories.
CREATE TABLE embeddings (
    text_hash TEXT NOT NULL,
    model     TEXT NOT NULL,
    dim       INTEGER NOT NULL,
    vector    BLOB NOT NULL,
    PRIMARY KEY (text_hash, model)
);

CREATE TABLE story_features (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    published  TEXT,
    features   BLOB NOT NULL
);
CREATE INDEX story_features_published ON story_features(published);

CREATE TABLE stories (
    id              TEXT PRIMARY KEY,
    label           TEXT NOT NULL DEFAULT '',
    size            INTEGER NOT NULL DEFAULT 0,
    reports         INTEGER NOT NULL DEFAULT 0,
    languages       TEXT NOT NULL DEFAULT '[]',
    sources         TEXT NOT NULL DEFAULT '[]',
    first_published TEXT,
    last_published  TEXT,
    updated_at      TEXT NOT NULL
);
CREATE INDEX stories_last ON stories(last_published);
CREATE INDEX stories_size ON stories(size);

-- A story merged into another keeps answering under its old id.
CREATE TABLE story_merges (
    old_id TEXT PRIMARY KEY,
    new_id TEXT NOT NULL
);
