package dev.firebreak.incidents.correlation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.firebreak.incidents.heartbeat.Heartbeat;
import dev.firebreak.incidents.incident.IncidentPolicy;
import dev.firebreak.incidents.inhibition.InhibitionRule;
import dev.firebreak.incidents.inhibition.Inhibitions;
import dev.firebreak.incidents.labels.Selector;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.InhibitionState;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentCommands;

import static dev.firebreak.schemas.fixtures.Alerts.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grouping rules and inhibition by cause through the production topology: node alerts per
 * host, and a database outage whose dependents' alerts are recorded, linked and not
 * paged, whichever arrives first.
 */
class CorrelationTopologyTest {

	private static final Grouping GROUPING = new Grouping(
			List.of(new Grouping.Rule("host", Selector.parse(List.of("job=\"node\"")), List.of("cluster", "instance"))),
			CorrelationKey.DEFAULT_RULE);

	/**
	 * api, checkout and etl depend on postgres; a Down alert of postgres is an outage.
	 */
	private static Inhibitions dependencies(InhibitionRule.OnCauseResolved onCauseResolved) {
		return Inhibitions.of(List.of(),
				Map.of("api", List.of("postgres"), "checkout", List.of("postgres"), "etl", List.of("postgres")),
				Selector.parse(List.of("alertname=~\".*Down\"")), List.of("cluster"), Duration.ofSeconds(30),
				onCauseResolved);
	}

	private static TopologyDriver driver(InhibitionRule.OnCauseResolved onCauseResolved) {
		return new TopologyDriver(new IncidentTopology.Settings(GROUPING,
				IncidentPolicy.DEFAULT.withInhibitions(dependencies(onCauseResolved)), 6, Duration.ofSeconds(5),
				Duration.ofDays(7), List.of(), Heartbeat.DEFAULT, false));
	}

	private static Alerts databaseDown() {
		return Alerts.firing("DatabaseDown")
			.label("service", "postgres")
			.label("severity", "critical")
			.label("cluster", "eu-1")
			.label("instance", "db-1:9187");
	}

	private static Alerts databaseRecovered() {
		return Alerts.resolved("DatabaseDown")
			.label("service", "postgres")
			.label("severity", "critical")
			.label("cluster", "eu-1")
			.label("instance", "db-1:9187");
	}

	private static Alerts errors(String service) {
		return Alerts.firing("HighErrorRate")
			.label("service", service)
			.label("severity", "warning")
			.label("cluster", "eu-1");
	}

	private static Map<String, Incident> byService(TopologyDriver driver) {
		return driver.incidents()
			.stream()
			.collect(Collectors.toMap((incident) -> incident.getCorrelationLabels().getOrDefault("service", "?"),
					Function.identity()));
	}

	private static List<IncidentEventType> typesOf(List<IncidentEvent> events, String incidentId) {
		return events.stream()
			.filter((event) -> event.getIncidentId().equals(incidentId))
			.map(IncidentEvent::getType)
			.toList();
	}

	@Test
	void nodeAlertsOfFiveHostsAreFiveIncidentsNotOneRaisedForItsBlastRadius() {
		try (TopologyDriver driver = driver(InhibitionRule.OnCauseResolved.RELEASE)) {
			for (int host = 1; host <= 5; host++) {
				driver.send(Alerts.firing("DiskSpaceHigh")
					.label("job", "node")
					.label("service", "node")
					.label("severity", "warning")
					.label("cluster", "eu-1")
					.label("instance", "node-" + host + ":9100"));
			}

			List<Incident> incidents = driver.incidents();
			assertThat(incidents).extracting(Incident::getCorrelationKey)
				.containsExactlyInAnyOrder("cluster=eu-1,instance=node-1:9100", "cluster=eu-1,instance=node-2:9100",
						"cluster=eu-1,instance=node-3:9100", "cluster=eu-1,instance=node-4:9100",
						"cluster=eu-1,instance=node-5:9100");
			assertThat(incidents).allSatisfy((incident) -> {
				assertThat(incident.getGroupingRule()).isEqualTo("host");
				assertThat(incident.getCounts().getInstances()).isEqualTo(1);
			});
			assertThat(driver.events()).extracting(IncidentEvent::getType)
				.doesNotContain(IncidentEventType.SEVERITY_CHANGED);
		}
		try (TopologyDriver fleetWide = TopologyDriver.withDefaults()) {
			for (int host = 1; host <= 5; host++) {
				fleetWide.send(Alerts.firing("DiskSpaceHigh")
					.label("job", "node")
					.label("service", "node")
					.label("cluster", "eu-1")
					.label("instance", "node-" + host + ":9100"));
			}
			assertThat(fleetWide.incidents()).as("without the rule: the whole fleet is one incident")
				.singleElement()
				.satisfies((incident) -> assertThat(incident.getGroupingRule()).isEqualTo("default"));
		}
	}

	@Test
	void aDatabaseOutageIsOnePagedIncidentAndItsDependentsErrorsAreInhibitedAndLinked() {
		try (TopologyDriver driver = driver(InhibitionRule.OnCauseResolved.RELEASE)) {
			driver.send(databaseDown());
			Instant later = T0.plusSeconds(5);
			driver.send(errors("api").receivedAt(later).startsAt(later),
					errors("checkout").receivedAt(later).startsAt(later),
					errors("etl").receivedAt(later).startsAt(later));

			Map<String, Incident> incidents = byService(driver);
			String database = incidents.get("postgres").getId();
			assertThat(incidents.get("postgres").getInhibition()).isEqualTo(InhibitionState.NONE);
			List<IncidentEvent> events = driver.events();
			for (String service : List.of("api", "checkout", "etl")) {
				Incident symptom = incidents.get(service);
				assertThat(symptom.getInhibition()).as(service).isEqualTo(InhibitionState.INHIBITED);
				assertThat(symptom.getInhibitedBy()).isEqualTo(database);
				assertThat(symptom.getInhibitionRule()).isEqualTo(service + "-depends-on-postgres");
				IncidentEvent inhibited = events.stream()
					.filter((event) -> event.getIncidentId().equals(symptom.getId())
							&& event.getType() == IncidentEventType.INHIBITED)
					.findFirst()
					.orElseThrow();
				assertThat(inhibited.getReason()).isEqualTo("not paged: inhibited by " + database
						+ " DatabaseDown on postgres (rule " + service + "-depends-on-postgres)");
				assertThat(inhibited.getIncident().getInhibition()).as("the OPENED update says so already")
					.isEqualTo(InhibitionState.INHIBITED);
			}

			// An hour on, the outage still open: the symptoms neither escalate nor are
			// raised.
			driver.wallClockAt(T0.plus(Duration.ofHours(1)));
			List<IncidentEvent> hourLater = driver.events();
			for (String service : List.of("api", "checkout", "etl")) {
				assertThat(typesOf(hourLater, incidents.get(service).getId())).as(service).isEmpty();
			}
			assertThat(typesOf(hourLater, database)).contains(IncidentEventType.ESCALATED);
		}
	}

	@Test
	void symptomsThatArriveBeforeTheirCauseWaitTheGracePeriodAndAreStillNotPaged() {
		try (TopologyDriver driver = driver(InhibitionRule.OnCauseResolved.RELEASE)) {
			driver.send(errors("api"), errors("checkout"));
			Map<String, Incident> waiting = byService(driver);
			assertThat(waiting.values()).allSatisfy((incident) -> {
				assertThat(incident.getInhibition()).isEqualTo(InhibitionState.PENDING);
				assertThat(incident.getInhibitionRule()).endsWith("-depends-on-postgres");
			});
			Instant tenSecondsLater = T0.plusSeconds(10);
			driver.send(databaseDown().receivedAt(tenSecondsLater).startsAt(tenSecondsLater));

			driver.wallClockAt(T0.plusSeconds(35));

			Map<String, Incident> incidents = byService(driver);
			String database = incidents.get("postgres").getId();
			List<IncidentEvent> events = driver.events();
			for (String service : List.of("api", "checkout")) {
				assertThat(incidents.get(service).getInhibition()).as(service).isEqualTo(InhibitionState.INHIBITED);
				assertThat(incidents.get(service).getInhibitedBy()).isEqualTo(database);
				assertThat(typesOf(events, incidents.get(service).getId()))
					.containsSubsequence(IncidentEventType.OPENED, IncidentEventType.INHIBITION_PENDING,
							IncidentEventType.INHIBITED)
					.doesNotContain(IncidentEventType.INHIBITION_ENDED, IncidentEventType.AUTOMATION_ENDED);
			}
		}
	}

	@Test
	void aSymptomWhoseCauseNeverComesIsHandledOnItsOwnWhenTheGracePeriodEnds() {
		try (TopologyDriver driver = driver(InhibitionRule.OnCauseResolved.RELEASE)) {
			driver.send(errors("api"));
			String api = byService(driver).get("api").getId();
			driver.events();

			driver.wallClockAt(T0.plusSeconds(35));

			List<IncidentEvent> events = driver.events();
			assertThat(events).extracting(IncidentEvent::getType)
				.startsWith(IncidentEventType.INHIBITION_ENDED, IncidentEventType.ESCALATION_CLOCK_SET);
			assertThat(events.get(0).getReason()).isEqualTo(
					"handled on its own: no cause arrived within the grace period of rule api-depends-on-postgres");
			assertThat(events.get(0).getAlert().getAlertname()).as("for remediation-engine to act on")
				.isEqualTo("HighErrorRate");
			assertThat(driver.incident(api).getInhibition()).isEqualTo(InhibitionState.NONE);
		}
	}

	@Test
	void whenTheCauseResolvesItsSymptomsAreReleasedWithTheirClocksStartingThen() {
		try (TopologyDriver driver = driver(InhibitionRule.OnCauseResolved.RELEASE)) {
			driver.send(databaseDown(), errors("api").receivedAt(T0.plusSeconds(1)));
			String api = byService(driver).get("api").getId();
			Instant recovered = T0.plus(Duration.ofMinutes(10));
			driver.wallClockAt(recovered.minusSeconds(5));
			assertThat(driver.incident(api).getInhibition()).as("its cause still open")
				.isEqualTo(InhibitionState.INHIBITED);
			driver.send(databaseRecovered().receivedAt(recovered));
			driver.events();

			// Its own alerts have the rule's grace period (30 s) to clear, from when it
			// sees
			// its cause resolved (it looks every 10 s).
			for (int second = 5; second <= 30; second += 5) {
				driver.wallClockAt(recovered.plusSeconds(second));
			}
			assertThat(typesOf(driver.events(), api)).isEmpty();
			assertThat(driver.incident(api).getInhibition()).isEqualTo(InhibitionState.INHIBITED);
			for (int second = 35; second <= 50; second += 5) {
				driver.wallClockAt(recovered.plusSeconds(second));
			}

			List<IncidentEvent> events = driver.events();
			assertThat(typesOf(events, api)).startsWith(IncidentEventType.INHIBITION_ENDED);
			IncidentEvent released = events.stream()
				.filter((event) -> event.getIncidentId().equals(api))
				.findFirst()
				.orElseThrow();
			assertThat(released.getReason()).matches(
					"handled on its own: its cause INC-\\d{8}-\\d{4} resolved and its own alerts still fire 30s later");
			Incident incident = driver.incident(api);
			assertThat(incident.getInhibition()).isEqualTo(InhibitionState.NONE);
			assertThat(incident.getStatus()).isEqualTo(IncidentStatus.OPEN);
			assertThat(incident.getRespondBy()).as("the high-error-rate policy's 5 minutes, from the release")
				.isAfter(recovered.plusSeconds(30));
		}
	}

	@Test
	void aSymptomWhoseAlertsClearWithinTheGracePeriodAfterItsCauseResolvesQuietly() {
		try (TopologyDriver driver = driver(InhibitionRule.OnCauseResolved.RELEASE)) {
			driver.send(databaseDown(), errors("api").receivedAt(T0.plusSeconds(1)));
			String api = byService(driver).get("api").getId();
			Instant recovered = T0.plus(Duration.ofMinutes(10));
			driver.wallClockAt(recovered.minusSeconds(5));
			driver.send(databaseRecovered().receivedAt(recovered));
			driver.wallClockAt(recovered.plusSeconds(12));
			driver.send(Alerts.resolved("HighErrorRate")
				.label("service", "api")
				.label("severity", "warning")
				.label("cluster", "eu-1")
				.receivedAt(recovered.plusSeconds(12)));
			driver.events();
			driver.wallClockAt(recovered.plus(Duration.ofMinutes(5)));

			assertThat(typesOf(driver.events(), api)).doesNotContain(IncidentEventType.INHIBITION_ENDED);
			assertThat(driver.incident(api).getStatus()).isEqualTo(IncidentStatus.RESOLVED);
		}
	}

	@Test
	void anOperatorReleasesASymptomThatIsNotOneAndItStaysReleased() {
		try (TopologyDriver driver = driver(InhibitionRule.OnCauseResolved.RELEASE)) {
			driver.send(databaseDown(), errors("api").receivedAt(T0.plusSeconds(1)));
			String api = byService(driver).get("api").getId();
			driver.events();

			driver.send(IncidentCommands.release(api, "the API's errors are a bad deploy")
				.by("olivia")
				.at(T0.plusSeconds(60))
				.build());

			List<IncidentEvent> events = driver.events();
			assertThat(typesOf(events, api)).as("its clock starts now")
				.containsExactly(IncidentEventType.INHIBITION_ENDED, IncidentEventType.ESCALATION_CLOCK_SET);
			assertThat(events).filteredOn((event) -> event.getIncidentId().equals(api))
				.first()
				.satisfies((released) -> {
					assertThat(released.getType()).isEqualTo(IncidentEventType.INHIBITION_ENDED);
					assertThat(released.getActor().getName()).isEqualTo("olivia");
					assertThat(released.getReason()).matches("handled on its own: released by olivia \\(inhibited by "
							+ "INC-\\d{8}-\\d{4}\\): the API's errors are a bad deploy");
				});
			Incident incident = driver.incident(api);
			assertThat(incident.getInhibition()).isEqualTo(InhibitionState.NONE);
			assertThat(incident.getInhibitedBy()).isNull();

			// Another alert its cause explains joins it: it stays released.
			driver.send(Alerts.firing("HighRequestLatency")
				.label("service", "api")
				.label("severity", "warning")
				.label("cluster", "eu-1")
				.receivedAt(T0.plusSeconds(90)));
			assertThat(driver.incident(api).getInhibition()).isEqualTo(InhibitionState.NONE);
			assertThat(typesOf(driver.events(), api)).doesNotContain(IncidentEventType.INHIBITED);

			// Releasing it again changes nothing.
			driver.send(IncidentCommands.release(api, "again").at(T0.plusSeconds(120)).build());
			assertThat(typesOf(driver.events(), api)).isEmpty();
		}
	}

	@Test
	void aRuleCanResolveTheSymptomsWithTheirCause() {
		try (TopologyDriver driver = driver(InhibitionRule.OnCauseResolved.RESOLVE)) {
			driver.send(databaseDown(), errors("api").receivedAt(T0.plusSeconds(1)));
			String api = byService(driver).get("api").getId();
			driver.send(databaseRecovered().receivedAt(T0.plus(Duration.ofMinutes(10))));

			driver.wallClockAt(T0.plus(Duration.ofMinutes(10)).plusSeconds(15));

			Incident incident = driver.incident(api);
			assertThat(incident.getStatus()).isEqualTo(IncidentStatus.RESOLVED);
			assertThat(driver.events())
				.filteredOn(
						(event) -> event.getIncidentId().equals(api) && event.getType() == IncidentEventType.RESOLVED)
				.singleElement()
				.satisfies((event) -> assertThat(event.getReason()).startsWith("its cause INC-")
					.endsWith(" resolved (rule api-depends-on-postgres)"));
		}
	}

	@Test
	void theOrderInWhichCauseAndSymptomsArriveDoesNotChangeTheOutcome() {
		Map<String, String> causeFirst = outcome(List.of(databaseDown(), errors("api"), errors("checkout")));
		Map<String, String> causeBetween = outcome(List.of(errors("api"), databaseDown(), errors("checkout")));
		Map<String, String> causeLast = outcome(List.of(errors("checkout"), errors("api"), databaseDown()));

		assertThat(causeFirst).containsEntry("postgres", "NONE")
			.containsEntry("api", "INHIBITED by postgres")
			.containsEntry("checkout", "INHIBITED by postgres");
		assertThat(causeBetween).isEqualTo(causeFirst);
		assertThat(causeLast).isEqualTo(causeFirst);
	}

	/**
	 * Each service's inhibition once the grace period is over, alerts sent a second
	 * apart.
	 */
	private static Map<String, String> outcome(List<Alerts> alerts) {
		try (TopologyDriver driver = driver(InhibitionRule.OnCauseResolved.RELEASE)) {
			for (int i = 0; i < alerts.size(); i++) {
				Instant at = T0.plusSeconds(i);
				driver.send(alerts.get(i).receivedAt(at).startsAt(at));
			}
			driver.wallClockAt(T0.plusSeconds(40));
			Map<String, Incident> incidents = byService(driver);
			Map<String, String> ids = incidents.entrySet()
				.stream()
				.collect(Collectors.toMap((entry) -> entry.getValue().getId(), Map.Entry::getKey));
			return incidents.entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey,
						(entry) -> entry.getValue().getInhibition() + ((entry.getValue().getInhibitedBy() != null)
								? " by " + ids.get(entry.getValue().getInhibitedBy()) : "")));
		}
	}

}
