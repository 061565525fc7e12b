-- remediation-engine's own state, in the schema "remediation" (spring.flyway.schemas).

-- One row per (incident, event sequence, runbook): its primary key is the remediation id
-- "<incident id>.<sequence>.<runbook id>", so a redelivered event finds its row and
-- starts nothing. A row is written, and committed, before its action runs.
CREATE TABLE attempt (
    remediation_id    text        PRIMARY KEY,
    incident_id       text        NOT NULL,
    event_sequence    bigint      NOT NULL,
    runbook_id        text        NOT NULL,
    alert_fingerprint text        NOT NULL,
    target            text,
    attempt           integer     NOT NULL,
    -- Runs of this row after a failure (the runbook's onFailure.retry).
    retries           integer     NOT NULL DEFAULT 0,
    -- AWAITING_APPROVAL, STARTED, VERIFYING; SUCCEEDED, FAILED, SKIPPED, REJECTED, OUTCOME_UNKNOWN
    status            text        NOT NULL,
    dry_run           boolean     NOT NULL,
    -- The alert's and incident's values the templates read, to run it after an approval.
    template_values   jsonb       NOT NULL,
    -- The engine instance that started it: after a restart, another's STARTED row is
    -- an attempt interrupted by a crash.
    owner             text,
    reason            text,
    action_summary    text,
    created_at        timestamptz NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz,
    verify_deadline   timestamptz,
    resolved_at       timestamptz
);

CREATE INDEX attempt_by_target ON attempt (runbook_id, target, started_at);
CREATE INDEX attempt_by_incident ON attempt (incident_id, runbook_id);
CREATE INDEX attempt_by_alert ON attempt (incident_id, alert_fingerprint)
    WHERE status IN ('AWAITING_APPROVAL', 'STARTED', 'VERIFYING');
CREATE INDEX attempt_failures ON attempt (runbook_id, finished_at) WHERE status IN ('FAILED', 'OUTCOME_UNKNOWN');
CREATE INDEX attempt_verifying ON attempt (verify_deadline) WHERE status = 'VERIFYING';

-- Outcomes to publish to firebreak.incident-commands, written in the transaction that
-- changes the attempt and deleted once the broker has them.
CREATE TABLE outbox (
    id         bigserial   PRIMARY KEY,
    command_id text        NOT NULL UNIQUE,
    incident_id text       NOT NULL,
    payload    bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Runbooks disabled by the circuit breaker, until an operator resets them.
CREATE TABLE circuit (
    runbook_id text        PRIMARY KEY,
    open       boolean     NOT NULL,
    reason     text,
    changed_at timestamptz NOT NULL,
    changed_by text        NOT NULL
);

-- Switches operators flip at run time: the kill switch.
CREATE TABLE control (
    name       text        PRIMARY KEY,
    enabled    boolean     NOT NULL,
    changed_at timestamptz NOT NULL,
    changed_by text        NOT NULL
);
