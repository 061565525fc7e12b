-- Leases (issue 19): two or more engine instances share this database. An attempt a live
-- engine runs (STARTED, or GATHERING for a run that only reads) is leased to its owner until
-- lease_until, on PostgreSQL's clock (clock_timestamp()), and renewed while it runs. Another
-- engine takes it over only once the lease has run out; a row from before leases has none
-- and is taken over at once.
ALTER TABLE attempt ADD COLUMN lease_until timestamptz;

-- What the takeover and the count of running attempts read.
CREATE INDEX attempt_leases ON attempt (lease_until) WHERE status IN ('STARTED', 'GATHERING');
