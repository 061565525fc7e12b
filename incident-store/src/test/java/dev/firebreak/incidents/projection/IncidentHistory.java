package dev.firebreak.incidents.projection;

import java.util.List;

import dev.firebreak.incidents.correlation.TopologyDriver;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.NotificationStatus;
import dev.firebreak.schemas.avro.RemediationStatus;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentCommands;

import static dev.firebreak.schemas.fixtures.Alerts.T0;

/**
 * What the production topology publishes for a short, complete incident, so that the
 * projection is tested on real output: two alerts of one service, a remediation, a
 * notification, an acknowledgement, a comment, and both alerts resolving; plus a second
 * incident that stays open.
 *
 * @param incidents the records of {@code firebreak.incidents}, in order
 * @param events the records of {@code firebreak.incident-events}, in order
 */
record IncidentHistory(List<Incident> incidents, List<IncidentEvent> events) {

	static final String FIRST = "INC-20261122-0001";

	static IncidentHistory record() {
		try (TopologyDriver driver = TopologyDriver.withDefaults()) {
			driver.send(Alerts.firing("ServiceDown")
				.label("service", "api")
				.label("cluster", "eu-1")
				.label("instance", "api-1")
				.label("severity", "critical")
				.annotation("summary", "api is down"));
			driver.send(Alerts.firing("HighErrorRate")
				.label("service", "api")
				.label("cluster", "eu-1")
				.label("severity", "warning")
				.receivedAt(T0.plusSeconds(5)));
			driver.send(Alerts.firing("DiskSpaceHigh")
				.label("service", "db")
				.label("cluster", "eu-1")
				.label("severity", "warning")
				.receivedAt(T0.plusSeconds(6)));
			driver.send(IncidentCommands.remediation(FIRST, "restart-service", RemediationStatus.STARTED)
				.at(T0.plusSeconds(10))
				.build());
			driver.send(IncidentCommands.notification(FIRST, Channel.SLACK, NotificationStatus.SENT, 1)
				.at(T0.plusSeconds(11))
				.build());
			driver.send(IncidentCommands.acknowledge(FIRST).by("alice").at(T0.plusSeconds(60)).build());
			driver.send(IncidentCommands.remediation(FIRST, "restart-service", RemediationStatus.SUCCEEDED)
				.at(T0.plusSeconds(70))
				.build());
			driver.send(IncidentCommands.comment(FIRST, "restart fixed it").by("alice").at(T0.plusSeconds(80)).build());
			driver.send(Alerts.resolved("ServiceDown")
				.label("service", "api")
				.label("cluster", "eu-1")
				.label("instance", "api-1")
				.label("severity", "critical")
				.annotation("summary", "api is down")
				.receivedAt(T0.plusSeconds(120)));
			driver.send(Alerts.resolved("HighErrorRate")
				.label("service", "api")
				.label("cluster", "eu-1")
				.label("severity", "warning")
				.receivedAt(T0.plusSeconds(125)));
			return new IncidentHistory(driver.incidents(), driver.events());
		}
	}

}
