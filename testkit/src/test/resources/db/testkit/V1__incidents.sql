CREATE TABLE incident (
    id          text PRIMARY KEY,
    severity    text NOT NULL,
    opened_at   timestamptz NOT NULL
);
