-- Correlation (issue 23): the grouping rule that keyed an incident, and whether it is a
-- symptom of another incident's cause (inhibition state, the cause's incident, the rule).
ALTER TABLE incident
    ADD COLUMN grouping_rule   text,
    ADD COLUMN inhibition      text NOT NULL DEFAULT 'NONE',
    ADD COLUMN inhibited_by    text,
    ADD COLUMN inhibition_rule text;

-- "What does this cause explain?": the incidents inhibited by one.
CREATE INDEX incident_inhibited_by ON incident (inhibited_by) WHERE inhibited_by IS NOT NULL;
