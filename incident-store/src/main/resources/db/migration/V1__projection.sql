-- The projection of firebreak.incidents and firebreak.incident-events for the query API.
-- Only the projection writes these tables; every write is an idempotent upsert guarded by
-- the incident's version or the event's sequence, so a replay rebuilds the same rows.

CREATE TABLE incident (
    id                    text        PRIMARY KEY,
    version               bigint      NOT NULL,
    correlation_key       text        NOT NULL,
    correlation_labels    jsonb       NOT NULL,
    title                 text        NOT NULL,
    severity              text        NOT NULL,
    status                text        NOT NULL,
    flapping              boolean     NOT NULL,
    in_maintenance        boolean     NOT NULL,
    maintenance_window_id text,
    escalation_level      text        NOT NULL,
    assignee              text,
    acknowledged_by       text,
    resolved_by           text,
    opened_at             timestamptz NOT NULL,
    acknowledged_at       timestamptz,
    resolved_at           timestamptz,
    updated_at            timestamptz NOT NULL,
    reopen_count          integer     NOT NULL,
    alert_count           integer     NOT NULL,
    firing_count          integer     NOT NULL,
    resolved_count        integer     NOT NULL,
    instance_count        integer     NOT NULL,
    service_count         integer     NOT NULL,
    delivery_count        bigint      NOT NULL
);

-- The list's sort orders (newest first; most severe first), with the id as tie-breaker for
-- the cursor, and its most common filter.
CREATE INDEX incident_by_time ON incident (opened_at DESC, id DESC);
CREATE INDEX incident_by_severity ON incident (severity, opened_at DESC, id DESC);
CREATE INDEX incident_by_status ON incident (status, opened_at DESC, id DESC);

-- Every alert an incident grouped, as its latest event showed it.
CREATE TABLE incident_alert (
    incident_id      text        NOT NULL,
    fingerprint      text        NOT NULL,
    sequence         bigint      NOT NULL,
    alertname        text        NOT NULL,
    status           text        NOT NULL,
    severity         text        NOT NULL,
    labels           jsonb       NOT NULL,
    annotations      jsonb       NOT NULL,
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz,
    generator_url    text,
    last_received_at timestamptz NOT NULL,
    PRIMARY KEY (incident_id, fingerprint)
);

CREATE INDEX incident_alert_labels ON incident_alert USING gin (labels jsonb_path_ops);

-- The timeline: every IncidentEvent, in sequence.
CREATE TABLE incident_event (
    incident_id       text        NOT NULL,
    sequence          bigint      NOT NULL,
    event_id          text        NOT NULL,
    type              text        NOT NULL,
    occurred_at       timestamptz NOT NULL,
    actor_kind        text        NOT NULL,
    actor_name        text        NOT NULL,
    reason            text,
    details           jsonb       NOT NULL,
    command_id        text,
    alert_fingerprint text,
    alertname         text,
    PRIMARY KEY (incident_id, sequence)
);

CREATE INDEX incident_event_by_time ON incident_event (occurred_at, type);

-- Each remediation as its latest REMEDIATION_* event left it (status, reason, time); what it
-- ran (runbook, action, target) comes from whichever of its events names it.
CREATE TABLE remediation (
    remediation_id text        PRIMARY KEY,
    incident_id    text        NOT NULL,
    sequence       bigint      NOT NULL,
    status         text        NOT NULL,
    runbook        text,
    action         text,
    target         text,
    attempt        integer,
    dry_run        boolean     NOT NULL,
    reason         text,
    updated_at     timestamptz NOT NULL
);

CREATE INDEX remediation_by_incident ON remediation (incident_id);
CREATE INDEX remediation_by_time ON remediation (updated_at);

-- Each notification outcome (NOTIFICATION_* event).
CREATE TABLE notification (
    incident_id    text        NOT NULL,
    sequence       bigint      NOT NULL,
    status         text        NOT NULL,
    channel        text        NOT NULL,
    event_sequence bigint,
    target         text,
    message_id     text,
    reason         text,
    occurred_at    timestamptz NOT NULL,
    PRIMARY KEY (incident_id, sequence)
);

CREATE INDEX notification_by_time ON notification (occurred_at);
