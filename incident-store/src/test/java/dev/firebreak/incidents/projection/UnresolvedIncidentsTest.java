package dev.firebreak.incidents.projection;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.Incidents;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code firebreak.incidents.unresolved} counts the projected incidents on a real
 * PostgreSQL, by severity and status, leaving the resolved out.
 */
class UnresolvedIncidentsTest {

	@Test
	void countsOpenAndAcknowledgedIncidentsBySeverity() {
		PostgresFixture postgres = TestInfrastructure.postgres();
		PGSimpleDataSource dataSource = (PGSimpleDataSource) postgres.dataSource(postgres.createDatabase("unresolved"));
		Flyway.configure().dataSource(dataSource).load().migrate();
		new ProjectionWriter(new NamedParameterJdbcTemplate(dataSource),
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)), JsonMapper.builder().build())
			.write(List.of(incident("INC-20261122-0001", Severity.SEV1, IncidentStatus.OPEN),
					incident("INC-20261122-0002", Severity.SEV1, IncidentStatus.OPEN),
					incident("INC-20261122-0003", Severity.SEV2, IncidentStatus.ACKNOWLEDGED),
					incident("INC-20261122-0004", Severity.SEV2, IncidentStatus.RESOLVED)), List.of());
		SimpleMeterRegistry registry = new SimpleMeterRegistry();

		new UnresolvedIncidents(new JdbcTemplate(dataSource)).bindTo(registry);

		assertThat(unresolved(registry, "SEV1", "OPEN")).isEqualTo(2);
		assertThat(unresolved(registry, "SEV2", "ACKNOWLEDGED")).isEqualTo(1);
		assertThat(unresolved(registry, "SEV2", "OPEN")).isZero();
		assertThat(unresolved(registry, "SEV4", "OPEN")).isZero();
		assertThat(registry.find("firebreak.incidents.unresolved").gauges()).hasSize(8);
	}

	private static Incident incident(String id, Severity severity, IncidentStatus status) {
		return Incidents.open(id)
			.severity(severity)
			.status(status)
			.alert(Alerts.firing("ServiceDown").label("service", id).build())
			.build();
	}

	private static double unresolved(SimpleMeterRegistry registry, String severity, String status) {
		return registry.get("firebreak.incidents.unresolved")
			.tag("severity", severity)
			.tag("status", status)
			.gauge()
			.value();
	}

}
