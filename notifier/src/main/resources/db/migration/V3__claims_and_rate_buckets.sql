-- Two or more notifier instances (issue 19).
--
-- A delivery is claimed for a lease, not for good: the claim is a number no other claim
-- has, and every write of a sender that ends or puts back its delivery names it, so a
-- sender whose claim was taken over (its process paused, or cut off from PostgreSQL,
-- for longer than the lease) changes nothing. A SENDING delivery whose lease ran out is
-- due again, for any instance: a crashed peer's messages are not lost, a live peer's are
-- not sent twice. Lease times are PostgreSQL's clock, the one every instance shares.
CREATE SEQUENCE delivery_claim;

ALTER TABLE delivery
    ADD COLUMN claim       bigint,
    ADD COLUMN lease_until timestamptz;

CREATE INDEX delivery_leased ON delivery (lease_until) WHERE status = 'SENDING';

-- Each destination's rate limit as one token bucket for the cluster, taken under a row lock.
CREATE TABLE rate_bucket (
    destination text             PRIMARY KEY,
    tokens      double precision NOT NULL,
    refilled_at timestamptz      NOT NULL
);
