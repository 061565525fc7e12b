package dev.firebreak.incidents.correlation;

import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.IncidentCommand;

/** What the incident processor reads: an alert or a command, one of the two set. */
record Input(AlertEvent alert, IncidentCommand command) {

	static Input alert(AlertEvent alert) {
		return new Input(alert, null);
	}

	static Input command(IncidentCommand command) {
		return new Input(null, command);
	}

}
