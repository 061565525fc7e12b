-- What runbooks' diagnostic steps found (a health check's answer, a pod's logs), as the
-- incident keeps them: newest first, at most five, each
-- {remediationId, runbook, step, succeeded, summary, output, collectedAt}.
ALTER TABLE incident
    ADD COLUMN findings jsonb NOT NULL DEFAULT '[]';
