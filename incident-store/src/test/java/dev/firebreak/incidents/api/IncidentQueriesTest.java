package dev.firebreak.incidents.api;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.incidents.api.IncidentViews.Alert;
import dev.firebreak.incidents.api.IncidentViews.IncidentSummary;
import dev.firebreak.incidents.api.IncidentViews.Page;
import dev.firebreak.incidents.api.IncidentViews.TimelineEntry;
import dev.firebreak.incidents.projection.ProjectionWriter;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.Incidents;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

import static dev.firebreak.schemas.fixtures.Alerts.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The list's filters, sorts and cursor on a real PostgreSQL. */
class IncidentQueriesTest {

	private static IncidentQueries queries;

	private static DataSource dataSource;

	@BeforeAll
	static void incidents() {
		PostgresFixture postgres = TestInfrastructure.postgres();
		dataSource = postgres.dataSource(postgres.createDatabase("queries"));
		Flyway.configure().dataSource(dataSource).load().migrate();
		NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(dataSource);
		JsonMapper json = JsonMapper.builder().build();
		List<Incident> incidents = new ArrayList<>();
		incidents.add(incident(1, "api", "ServiceDown", Severity.SEV2, IncidentStatus.OPEN, "api is down"));
		incidents.add(incident(2, "api", "HighErrorRate", Severity.SEV3, IncidentStatus.RESOLVED, "errors above 5%"));
		incidents.add(incident(3, "db", "DatabaseConnectionsHigh", Severity.SEV1, IncidentStatus.ACKNOWLEDGED,
				"connections at 95%"));
		incidents.add(incident(4, "web", "HighResponseTime", Severity.SEV3, IncidentStatus.OPEN, "p99 above 500ms"));
		incidents.add(incident(5, "worker", "WorkerQueueHigh", Severity.SEV4, IncidentStatus.OPEN, "queue at 10k"));
		incidents.add(incident(6, "db", "DiskSpaceHigh", Severity.SEV2, IncidentStatus.RESOLVED, "disk at 90%"));
		incidents.add(incident(7, "api", "HighResponseTime", Severity.SEV3, IncidentStatus.OPEN, "p99 above 1s"));
		new ProjectionWriter(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)), json)
			.write(incidents, List.of());
		queries = new IncidentQueries(dataSource, new ApiProperties(Duration.ofSeconds(1)), json);
		// A long storm: 1,200 events and 1,200 alerts of an incident the list does not
		// show.
		JdbcClient sql = JdbcClient.create(dataSource);
		sql.sql("""
				INSERT INTO incident_event (incident_id, sequence, event_id, type, occurred_at, actor_kind, actor_name,
				    details)
				SELECT 'INC-20261122-0099', n, 'INC-20261122-0099:' || n, 'ALERT_ADDED', now(), 'ALERT_SOURCE', 'am', '{}'
				FROM generate_series(1, 1200) n""")
			.update();
		sql.sql("""
				INSERT INTO incident_alert (incident_id, fingerprint, sequence, alertname, status, severity, labels,
				    annotations, starts_at, last_received_at)
				SELECT 'INC-20261122-0099', lpad(n::text, 16, '0'), n, 'ServiceDown', 'FIRING', 'SEV2', '{}', '{}', now(),
				    now()
				FROM generate_series(1, 1200) n""")
			.update();
	}

	private static Incident incident(int n, String service, String alertname, Severity severity, IncidentStatus status,
			String title) {
		return Incidents.open(String.format("INC-20261122-%04d", n))
			.title(alertname + ": " + title)
			.severity(severity)
			.status(status)
			.openedAt(T0.plusSeconds(60L * n))
			.alert(Alerts.firing(alertname).label("service", service).label("instance", service + "-" + n).build())
			.build();
	}

	private static List<String> ids(String status, String severity, String match, String from, String to, String q,
			String sort) {
		Page page = queries
			.list(IncidentFilter.of(list(status), list(severity), list(match), from, to, q, sort, null, null));
		return page.items().stream().map(IncidentSummary::id).map((id) -> id.substring(id.length() - 1)).toList();
	}

	private static List<String> list(String value) {
		return (value != null) ? List.of(value) : null;
	}

	@Test
	void newestFirstByDefault() {
		assertThat(ids(null, null, null, null, null, null, null)).containsExactly("7", "6", "5", "4", "3", "2", "1");
	}

	@Test
	void mostSevereFirstThenNewest() {
		assertThat(ids(null, null, null, null, null, null, "severity")).containsExactly("3", "6", "1", "7", "4", "2",
				"5");
	}

	@Test
	void filtersByStatusAndSeverity() {
		assertThat(ids("OPEN", null, null, null, null, null, null)).containsExactly("7", "5", "4", "1");
		assertThat(ids("open,acknowledged", "SEV1,SEV2", null, null, null, null, null)).containsExactly("3", "1");
	}

	@Test
	void filtersByLabelMatchersOnTheAlerts() {
		assertThat(ids(null, null, "service=api", null, null, null, null)).containsExactly("7", "2", "1");
		assertThat(ids(null, null, "alertname=~\"High.*\"", null, null, null, null)).containsExactly("7", "4", "2");
		assertThat(ids(null, null, "service!=api", null, null, null, null)).containsExactly("6", "5", "4", "3");
		assertThat(ids(null, null, "service!~\"api|db\"", null, null, null, null)).containsExactly("5", "4");
		assertThat(ids(null, null, "team=\"\"", null, null, null, null)).as("an absent label equals empty").hasSize(7);
	}

	@Test
	void matchersApplyTogetherToOneAlert() {
		Page page = queries.list(IncidentFilter.of(null, null, List.of("service=api", "alertname=HighResponseTime"),
				null, null, null, null, null, null));
		assertThat(page.items()).extracting(IncidentSummary::id).containsExactly("INC-20261122-0007");
		page = queries.list(IncidentFilter.of(null, null, List.of("service=api", "instance=~\"db-.*\""), null, null,
				null, null, null, null));
		assertThat(page.items()).isEmpty();
	}

	@Test
	void filtersByTimeRangeAndTitleText() {
		assertThat(ids(null, null, null, T0.plusSeconds(120).toString(), T0.plusSeconds(240).toString(), null, null))
			.containsExactly("3", "2");
		assertThat(ids(null, null, null, null, null, "P99", null)).containsExactly("7", "4");
		assertThat(ids(null, null, null, null, null, "95%", null)).containsExactly("3");
		assertThat(ids(null, null, null, null, null, "_", null)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "time", "severity" })
	void theCursorWalksEveryIncidentOnce(String sort) {
		List<String> walked = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			Page page = queries.list(IncidentFilter.of(null, null, null, null, null, null, sort, cursor, 3));
			page.items().forEach((incident) -> walked.add(incident.id()));
			cursor = page.nextCursor();
			pages++;
		}
		while (cursor != null);
		assertThat(pages).isEqualTo(3);
		List<String> all = queries.list(IncidentFilter.of(null, null, null, null, null, null, sort, null, 200))
			.items()
			.stream()
			.map(IncidentSummary::id)
			.toList();
		assertThat(walked).containsExactlyElementsOf(all).hasSize(7);
	}

	@Test
	void aCursorOfOneSortIsRefusedForTheOther() {
		String cursor = queries.list(IncidentFilter.of(null, null, null, null, null, null, "time", null, 3))
			.nextCursor();
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> IncidentFilter.of(null, null, null, null, null, null, "severity", cursor, 3))
			.satisfies((ex) -> assertThat(ex.parameter()).isEqualTo("cursor"));
	}

	@Test
	void theTimelineAndTheAlertsComeAPageAtATime() {
		assertThat(queries.timeline("INC-20261122-0099", 0, 1000)).hasSize(1000)
			.first()
			.satisfies((entry) -> assertThat(entry.sequence()).isEqualTo(1));
		assertThat(queries.timeline("INC-20261122-0099", 1000, 1000)).extracting(TimelineEntry::sequence)
			.startsWith(1001L)
			.endsWith(1200L)
			.hasSize(200);
		assertThat(queries.alerts("INC-20261122-0099", "", 1000)).hasSize(1000);
		assertThat(queries.alerts("INC-20261122-0099", "0000000000001000", 1000)).extracting(Alert::fingerprint)
			.startsWith("0000000000001001")
			.hasSize(200);
		// Shown with the incident: the first alerts only.
		JsonMapper json = JsonMapper.builder().build();
		NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(dataSource);
		ProjectionWriter writer = new ProjectionWriter(jdbc,
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)), json);
		writer.write(List.of(Incidents.open("INC-20261122-0099").openedAt(T0).build()), List.of());
		try {
			assertThat(queries.find("INC-20261122-0099").orElseThrow().alerts()).hasSize(IncidentQueries.ALERTS_SHOWN);
		}
		finally {
			JdbcClient.create(dataSource).sql("DELETE FROM incident WHERE id = 'INC-20261122-0099'").update();
		}
	}

	@Test
	void aQueryThatRunsPastTheStatementTimeoutIsCancelled() throws Exception {
		try (Connection locker = dataSource.getConnection()) {
			locker.setAutoCommit(false);
			locker.createStatement().execute("LOCK TABLE incident_event IN ACCESS EXCLUSIVE MODE");
			long started = System.nanoTime();

			assertThatExceptionOfType(QueryTimeoutException.class)
				.isThrownBy(() -> queries.timeline("INC-20261122-0001", 0, 10));
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
			locker.rollback();
		}
	}

}
