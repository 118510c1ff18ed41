-- Articles, the stages that ran on them, inputs that were rejected, full-text search.
CREATE TABLE articles (
    id             TEXT PRIMARY KEY,
    url            TEXT,
    source         TEXT,
    title          TEXT NOT NULL DEFAULT '',
    lead           TEXT NOT NULL DEFAULT '',
    text           TEXT NOT NULL,
    published      TEXT,
    lang           TEXT,
    lang_given     INTEGER NOT NULL DEFAULT 0,
    content_hash   TEXT,
    origin         TEXT,
    duplicate_of   TEXT,
    duplicate_kind TEXT,
    story_id       TEXT,
    event_date     TEXT,
    error          TEXT,
    paragraphs     TEXT NOT NULL DEFAULT '[]',
    sentences      TEXT NOT NULL DEFAULT '[]',
    mentions       TEXT NOT NULL DEFAULT '[]',
    quotes         TEXT NOT NULL DEFAULT '[]',
    timexes        TEXT NOT NULL DEFAULT '[]',
    extra          TEXT NOT NULL DEFAULT '{}',
    minhash        BLOB,
    ingested_at    TEXT NOT NULL
);
CREATE INDEX articles_url ON articles(url);
CREATE INDEX articles_hash ON articles(content_hash);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_lang ON articles(lang);
CREATE INDEX articles_source ON articles(source);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
CREATE INDEX articles_story ON articles(story_id);

CREATE TABLE article_stages (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    stage      TEXT NOT NULL,
    version    TEXT NOT NULL,
    ran_at     TEXT NOT NULL,
    PRIMARY KEY (article_id, stage)
);

CREATE TABLE rejections (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    origin     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
