-- Where an incident stands on its response policy's clock (issue 17): the policy, by when a
-- person must acknowledge, when it next escalates, an operator's snooze, and automation first.
ALTER TABLE incident
    ADD COLUMN response_policy    text,
    ADD COLUMN respond_by         timestamptz,
    ADD COLUMN next_escalation_at timestamptz,
    ADD COLUMN snoozed_until      timestamptz,
    ADD COLUMN automation         text NOT NULL DEFAULT 'NONE';
