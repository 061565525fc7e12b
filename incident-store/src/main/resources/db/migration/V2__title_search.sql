-- The list's text filter (title ILIKE '%...%') through a trigram index rather than a scan of
-- every incident. pg_trgm is a trusted extension in PostgreSQL's contrib (13 and later).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX incident_title_trigrams ON incident USING gin (title gin_trgm_ops);
