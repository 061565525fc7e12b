package dev.firebreak.incidents.correlation;

import dev.firebreak.schemas.avro.IncidentEvent;

/**
 * What the incident processor writes: an event of a change, and whether it is the
 * change's last, whose incident is the one {@code firebreak.incidents} gets (the earlier
 * events of a change carry the same incident at their own versions).
 */
record Emitted(IncidentEvent event, boolean last) {

}
