-- Escalation targets (issue 17): a message is for one destination (a channel's own, or one
-- of firebreak.notifier.destinations), maybe for one person on it, and for a target of an
-- escalation policy's level or a severity's audience.
ALTER TABLE delivery
    ADD COLUMN destination text NOT NULL DEFAULT '',
    -- The escalation target ('' for a route's message); one delivery per target and channel.
    ADD COLUMN target      text NOT NULL DEFAULT '',
    -- A person's place on the destination: an email address, a Slack user id.
    ADD COLUMN address     text,
    -- Who it is for (the person on call, or the target), and the level or severity.
    ADD COLUMN recipient   text,
    ADD COLUMN stage       text,
    -- Who the event paged, in a line, for every message of the event.
    ADD COLUMN paged       text;

UPDATE delivery SET destination = lower(channel);

ALTER TABLE delivery DROP CONSTRAINT delivery_incident_id_sequence_channel_key;
ALTER TABLE delivery ADD CONSTRAINT delivery_once UNIQUE (incident_id, sequence, channel, target);

-- Each target of a level (or a severity's audience) is told once per incident: recorded in
-- the transaction that records its deliveries, so a redelivered event, a second event at the
-- same level or a restart pages nobody twice.
CREATE TABLE page (
    incident_id text        NOT NULL,
    -- L1..L4, or SEV1..SEV4 for an audience
    stage       text        NOT NULL,
    target      text        NOT NULL,
    recipient   text,
    sequence    bigint      NOT NULL,
    paged_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (incident_id, stage, target)
);
