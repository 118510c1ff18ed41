-- Cached coverage comparisons of stories, per reader language; `key` changes when the story does.
CREATE TABLE coverage_cache (
    story_id    TEXT NOT NULL,
    reader_lang TEXT NOT NULL,
    key         TEXT NOT NULL,
    data        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (story_id, reader_lang)
);
