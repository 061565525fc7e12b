package dev.firebreak.ingest.webhook;

import java.time.Instant;

import dev.firebreak.schemas.avro.AlertSource;

/**
 * What is common to every alert of one request: where it came from, when, and the limits.
 */
record Delivery(AlertSource source, Instant receivedAt, AlertLimits limits) {
}
