package dev.firebreak.incidents.correlation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;

import static dev.firebreak.schemas.fixtures.Alerts.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dead man's switch through the production topology (Watchdog, silent after five
 * minutes, reviewed every five seconds): the heartbeat is never an incident; when it
 * stops, a SEV1 incident says the alerting pipeline is silent; when it returns, that
 * incident resolves.
 */
class DeadMansSwitchTopologyTest {

	private static Alerts watchdog(Instant receivedAt) {
		return Alerts.firing("Watchdog")
			.label("severity", "none")
			.label("heartbeat", "true")
			.label("cluster", "eu-1")
			.receivedAt(receivedAt);
	}

	private static List<IncidentEvent> opened(List<IncidentEvent> events) {
		return events.stream().filter((event) -> event.getType() == IncidentEventType.OPENED).toList();
	}

	@Test
	void theHeartbeatIsNeverAnIncident() {
		try (TopologyDriver driver = TopologyDriver.withDefaults()) {
			driver.send(watchdog(T0)).advanceWallClock(Duration.ofMinutes(1)).send(watchdog(T0.plusSeconds(60)));
			driver.advanceWallClock(Duration.ofMinutes(1));

			assertThat(driver.events()).isEmpty();
			assertThat(driver.incidents()).isEmpty();
		}
	}

	@Test
	void aHeartbeatThatStopsOpensASev1IncidentAndItsReturnResolvesIt() {
		try (TopologyDriver driver = TopologyDriver.withDefaults()) {
			driver.send(watchdog(T0)).wallClockAt(T0.plusSeconds(240)).send(watchdog(T0.plusSeconds(240)));
			driver.wallClockAt(T0.plusSeconds(240 + 295));
			assertThat(driver.events()).as("4m55s after the last beat").isEmpty();

			driver.wallClockAt(T0.plusSeconds(240 + 300));
			List<IncidentEvent> opened = opened(driver.events());
			assertThat(opened).hasSize(1);
			Incident silent = opened.get(0).getIncident();
			assertThat(silent.getSeverity()).isEqualTo(Severity.SEV1);
			assertThat(silent.getTitle())
				.isEqualTo("AlertingPipelineSilent: alerting pipeline silent, no Watchdog heartbeat for 5m");
			assertThat(opened.get(0).getAlert().getLabels()).containsEntry("alertname", "AlertingPipelineSilent")
				.containsEntry("firebreak", "self")
				.containsEntry("heartbeat", "Watchdog")
				.containsEntry("cluster", "eu-1")
				.containsEntry("severity", "critical");
			assertThat(opened.get(0).getAlert().getAnnotations().get("description"))
				.contains("since " + T0.plusSeconds(240));

			driver.wallClockAt(T0.plusSeconds(240 + 900));
			assertThat(opened(driver.events())).as("raised once, not again every review").isEmpty();

			driver.send(watchdog(T0.plusSeconds(240 + 900)));
			List<IncidentEvent> back = driver.events();
			assertThat(back).extracting(IncidentEvent::getType).contains(IncidentEventType.RESOLVED);
			assertThat(driver.incident(silent.getId()).getStatus()).isEqualTo(IncidentStatus.RESOLVED);
			assertThat(driver.incidents()).hasSize(1);
		}
	}

	@Test
	void aHeartbeatNeverSeenIsNotWatched() {
		try (TopologyDriver driver = TopologyDriver.withDefaults()) {
			driver.send(Alerts.firing("HighErrorRate").label("severity", "warning"));
			driver.events();

			driver.wallClockAt(T0.plus(Duration.ofHours(1)));

			assertThat(driver.incidents()).extracting(Incident::getTitle)
				.containsExactly("HighErrorRate (alertname=HighErrorRate)");
		}
	}

	@Test
	void aResolvedHeartbeatIsNoBeat() {
		// Alertmanager resolves the heartbeat once Prometheus stops sending it: that is
		// the
		// silence to notice, counted from the last firing beat.
		try (TopologyDriver driver = TopologyDriver.withDefaults()) {
			driver.send(watchdog(T0));
			driver.send(Alerts.resolved("Watchdog")
				.label("severity", "none")
				.label("heartbeat", "true")
				.label("cluster", "eu-1")
				.receivedAt(T0.plusSeconds(120))
				.resolvedAt(T0.plusSeconds(120)));

			driver.wallClockAt(T0.plusSeconds(300));

			assertThat(opened(driver.events())).extracting((event) -> event.getIncident().getTitle())
				.containsExactly("AlertingPipelineSilent: alerting pipeline silent, no Watchdog heartbeat for 5m");
		}
	}

	@Test
	void eachHeartbeatSeriesIsWatchedOnItsOwn() {
		try (TopologyDriver driver = TopologyDriver.withDefaults()) {
			driver.send(watchdog(T0), watchdog(T0).label("cluster", "us-1"));
			driver.wallClockAt(T0.plusSeconds(240)).send(watchdog(T0.plusSeconds(240)));

			driver.wallClockAt(T0.plusSeconds(300));

			List<IncidentEvent> opened = opened(driver.events());
			assertThat(opened).extracting((event) -> event.getAlert().getLabels().get("cluster"))
				.containsExactly("us-1");
		}
	}

}
