-- Two-way PagerDuty and Slack (issue 22).
--
-- Each event an integration sent that became a command (a PagerDuty webhook's event id, a
-- Slack click's trigger id), recorded in the transaction that puts the command in the
-- outbox: a second delivery of the same event finds it and changes nothing. Rows older than
-- a day are deleted as new ones come; PagerDuty's events are refused as stale after five
-- minutes and Slack's requests after five, so a day is far more than a replay can use.
CREATE TABLE inbound_event (
    -- pagerduty, slack
    source      text        NOT NULL,
    event_id    text        NOT NULL,
    command_id  text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id)
);

CREATE INDEX inbound_event_received ON inbound_event (received_at);
