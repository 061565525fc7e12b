-- notifier's own state, in the schema "notifier" (spring.flyway.schemas).

-- One row per (incident, event sequence, channel): recorded before anything is sent, so
-- that a redelivered event finds it and a crash between sending and recording resends
-- with the channel's own idempotency (PagerDuty's dedup_key, the email's Message-ID).
CREATE TABLE delivery (
    id              bigserial   PRIMARY KEY,
    incident_id     text        NOT NULL,
    sequence        bigint      NOT NULL,
    channel         text        NOT NULL,
    -- TRIGGER, ACKNOWLEDGE, RESOLVE
    kind            text        NOT NULL,
    route           text        NOT NULL,
    -- The IncidentEvent, Avro, to render when it is sent.
    event           bytea       NOT NULL,
    -- PENDING, SENDING; SENT, FAILED, SUPPRESSED, COALESCED
    status          text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    message_id      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    UNIQUE (incident_id, sequence, channel)
);

CREATE INDEX delivery_due ON delivery (next_attempt_at, id) WHERE status = 'PENDING';
CREATE INDEX delivery_by_incident ON delivery (incident_id, channel, id);

-- Outcome commands to publish to firebreak.incident-commands (platform's CommandOutbox).
CREATE TABLE outbox (
    id          bigserial   PRIMARY KEY,
    command_id  text        NOT NULL UNIQUE,
    incident_id text        NOT NULL,
    payload     bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
