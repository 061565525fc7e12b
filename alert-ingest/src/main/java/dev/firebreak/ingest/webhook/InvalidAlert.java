package dev.firebreak.ingest.webhook;

/**
 * One refused alert of a request: its position in the request's alert list, and why.
 *
 * @param index position in the request, from 0
 * @param reason why, from a bounded set
 * @param detail what exactly, for the sender (never echoes more than a short excerpt)
 */
public record InvalidAlert(int index, Invalidity reason, String detail) {
}
