package dev.firebreak.incidents.projection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The projection's SQL on a real PostgreSQL, fed with what the production topology
 * publishes.
 */
class ProjectionWriterTest {

	private static final IncidentHistory HISTORY = IncidentHistory.record();

	private ProjectionWriter writer;

	private NamedParameterJdbcTemplate jdbc;

	private PGSimpleDataSource dataSource;

	@BeforeEach
	void database() {
		PostgresFixture postgres = TestInfrastructure.postgres();
		PGSimpleDataSource dataSource = (PGSimpleDataSource) postgres.dataSource(postgres.createDatabase("projection"));
		// As the service's pool connects (application.yml): batches become multi-row
		// INSERTs.
		dataSource.setReWriteBatchedInserts(true);
		Flyway.configure().dataSource(dataSource).load().migrate();
		this.dataSource = dataSource;
		this.jdbc = new NamedParameterJdbcTemplate(dataSource);
		restart();
	}

	/** A writer as after a restart: it knows no alert rows. */
	private void restart() {
		this.writer = new ProjectionWriter(this.jdbc,
				new TransactionTemplate(new DataSourceTransactionManager(this.dataSource)),
				JsonMapper.builder().build());
	}

	@Test
	void projectsTheIncidentItsAlertsTimelineRemediationsAndNotifications() {
		this.writer.write(HISTORY.incidents(), HISTORY.events());

		assertThat(this.jdbc.getJdbcOperations()
			.queryForList("SELECT id, status, acknowledged_by, alert_count FROM incident ORDER BY id")).hasSize(2)
			.first()
			.satisfies((row) -> {
				assertThat(row).containsEntry("id", IncidentHistory.FIRST)
					.containsEntry("status", "RESOLVED")
					.containsEntry("acknowledged_by", "alice")
					.containsEntry("alert_count", 2);
			});
		assertThat(count("SELECT count(*) FROM incident_alert WHERE incident_id = '" + IncidentHistory.FIRST
				+ "' AND status = 'RESOLVED'"))
			.isEqualTo(2);
		assertThat(count("SELECT count(*) FROM incident_event")).isEqualTo(HISTORY.events().size());
		assertThat(this.jdbc.getJdbcOperations().queryForMap("SELECT status, runbook FROM remediation"))
			.containsEntry("status", "SUCCEEDED")
			.containsEntry("runbook", "restart-service");
		assertThat(
				this.jdbc.getJdbcOperations().queryForMap("SELECT status, channel, event_sequence FROM notification"))
			.containsEntry("status", "SENT")
			.containsEntry("channel", "SLACK")
			.containsEntry("event_sequence", 1L);
	}

	@Test
	void replayingGivesTheSameRowsInAnyOrderAndBatching() {
		this.writer.write(HISTORY.incidents(), HISTORY.events());
		String once = dump();

		this.writer.write(HISTORY.incidents(), HISTORY.events());
		assertThat(dump()).as("replayed").isEqualTo(once);

		database();
		List<IncidentEvent> shuffledEvents = new ArrayList<>(HISTORY.events());
		List<Incident> shuffledIncidents = new ArrayList<>(HISTORY.incidents());
		Collections.shuffle(shuffledEvents, new Random(7));
		Collections.shuffle(shuffledIncidents, new Random(7));
		for (int i = 0; i < shuffledEvents.size(); i++) {
			this.writer.write((i < shuffledIncidents.size()) ? List.of(shuffledIncidents.get(i)) : List.of(),
					List.of(shuffledEvents.get(i)));
		}
		assertThat(dump()).as("shuffled, one record per batch").isEqualTo(once);
	}

	@Test
	void anIncidentsRecordFillsInAlertsNoEventWroteAndAnyEventOverwritesThem() {
		Set<String> kept = HISTORY.incidents()
			.stream()
			.flatMap(
					(incident) -> Stream.concat(incident.getFirstAlerts().stream(), incident.getRecentAlerts().stream())
						.map((alert) -> incident.getId() + "/" + alert.getFingerprint()))
			.collect(Collectors.toSet());
		assertThat(kept).isNotEmpty();

		// A rebuild after the events expired: the records alone give the alerts they
		// keep.
		this.writer.write(HISTORY.incidents(), List.of());
		assertThat(count("SELECT count(*) FROM incident_alert WHERE sequence = 0")).isEqualTo(kept.size());
		this.writer.write(List.of(), HISTORY.events());
		String filledFirst = dump();
		assertThat(count("SELECT count(*) FROM incident_alert WHERE sequence = 0")).isZero();

		// Events first; the records after a restart (their inserts do nothing) and before
		// (the writer knows the rows and skips them).
		database();
		this.writer.write(List.of(), HISTORY.events());
		this.writer.write(HISTORY.incidents(), List.of());
		restart();
		this.writer.write(HISTORY.incidents(), List.of());
		assertThat(dump()).isEqualTo(filledFirst);
	}

	@Test
	void aRecordFillsInItsAlertsBesideAnEventOfItsOwnVersionInOneBatch() {
		// A rebuild after the events expired: the last event left and the record of the
		// same version, in one batch; the event carries one alert at most.
		Incident record = HISTORY.incidents()
			.stream()
			.filter((incident) -> fingerprints(incident).size() > 1)
			.filter((incident) -> eventOf(incident) != null)
			.findFirst()
			.orElseThrow();

		this.writer.write(List.of(record), List.of(eventOf(record)));

		assertThat(this.jdbc.getJdbcOperations()
			.queryForList("SELECT fingerprint FROM incident_alert WHERE incident_id = ?", String.class, record.getId()))
			.containsExactlyInAnyOrderElementsOf(fingerprints(record));
	}

	private static Set<String> fingerprints(Incident incident) {
		return Stream.concat(incident.getFirstAlerts().stream(), incident.getRecentAlerts().stream())
			.map((alert) -> alert.getFingerprint())
			.collect(Collectors.toSet());
	}

	private static IncidentEvent eventOf(Incident incident) {
		return HISTORY.events()
			.stream()
			.filter((event) -> event.getIncidentId().equals(incident.getId())
					&& event.getSequence() == incident.getVersion())
			.findFirst()
			.orElse(null);
	}

	@Test
	void anOlderVersionNeverOverwritesANewerOne() {
		Incident older = HISTORY.events().get(0).getIncident();
		Incident newest = HISTORY.events()
			.stream()
			.map(IncidentEvent::getIncident)
			.filter((incident) -> incident.getId().equals(older.getId()))
			.reduce((first, second) -> second)
			.orElseThrow();
		assertThat(older.getStatus()).isEqualTo(IncidentStatus.OPEN);
		assertThat(newest.getStatus()).isEqualTo(IncidentStatus.RESOLVED);

		this.writer.write(List.of(newest), List.of());
		this.writer.write(List.of(older), List.of());

		assertThat(this.jdbc.getJdbcOperations()
			.queryForMap("SELECT version, status FROM incident WHERE id = ?", older.getId()))
			.containsEntry("version", newest.getVersion())
			.containsEntry("status", "RESOLVED");
	}

	private long count(String sql) {
		return this.jdbc.getJdbcOperations().queryForObject(sql, Long.class);
	}

	/** Every row of every table, in a fixed order. */
	private String dump() {
		StringBuilder dump = new StringBuilder();
		for (String query : List.of("SELECT * FROM incident ORDER BY id",
				"SELECT * FROM incident_alert ORDER BY incident_id, fingerprint",
				"SELECT * FROM incident_event ORDER BY incident_id, sequence",
				"SELECT * FROM remediation ORDER BY remediation_id",
				"SELECT * FROM notification ORDER BY incident_id, sequence")) {
			dump.append(this.jdbc.getJdbcOperations().queryForList(query)).append('\n');
		}
		return dump.toString();
	}

}
