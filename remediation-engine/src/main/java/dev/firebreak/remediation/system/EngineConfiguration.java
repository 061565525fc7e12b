package dev.firebreak.remediation.system;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import dev.firebreak.platform.CommandOutbox;
import dev.firebreak.platform.RawRecords;
import dev.firebreak.platform.Secret;
import dev.firebreak.remediation.action.CommandAction;
import dev.firebreak.remediation.action.DockerAction;
import dev.firebreak.remediation.action.FileCleanupAction;
import dev.firebreak.remediation.action.HttpAction;
import dev.firebreak.remediation.action.KubernetesAction;
import dev.firebreak.remediation.action.PostgresAction;
import dev.firebreak.remediation.engine.AttemptStore;
import dev.firebreak.remediation.engine.LatestIncidents;
import dev.firebreak.remediation.engine.RemediationEngine;
import dev.firebreak.remediation.runbook.Runbook;
import dev.firebreak.remediation.runbook.RunbookLoader;

/**
 * Wires the engine: the catalogue (an invalid one fails startup, listing every problem),
 * the four actions, the attempt store, the outbox publisher, and the consumer of
 * {@code firebreak.incident-events}.
 */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

	static final String CONTAINER_FACTORY = "incidentEventsContainerFactory";

	@Bean
	Catalogue catalogue(RemediationProperties properties) {
		List<Runbook> runbooks = (properties.runbooks() != null)
				? RunbookLoader.directory(properties.runbooks(), properties.resolvedSecrets())
				: RunbookLoader.defaults();
		RunbookLoader.requireDataSources(runbooks, properties.datasources().keySet(), properties.dryRun());
		return new Catalogue(runbooks, (properties.runbooks() != null) ? properties.runbooks().toString() : "default");
	}

	/** The runbooks loaded and where from. */
	record Catalogue(List<Runbook> runbooks, String source) {
	}

	@Bean
	ActionDataSources actionDataSources(RemediationProperties properties) {
		Map<String, DataSource> dataSources = new LinkedHashMap<>();
		properties.datasources().forEach((name, spec) -> {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setPoolName("action-" + name);
			dataSource.setJdbcUrl(spec.url());
			dataSource.setUsername(spec.username());
			Secret
				.resolve("firebreak.remediation.datasources." + name + ".password", spec.password(),
						spec.passwordFile())
				.ifPresent((password) -> dataSource.setPassword(password.value()));
			dataSource.setMaximumPoolSize(2);
			dataSource.setMinimumIdle(0);
			dataSource.setConnectionTimeout(5000);
			// Opened when a runbook first needs it: a database that is down must not stop
			// the engine.
			dataSource.setInitializationFailTimeout(-1);
			dataSources.put(name, dataSource);
		});
		return new ActionDataSources(dataSources);
	}

	/** The databases of {@code postgres} actions, closed with the context. */
	record ActionDataSources(Map<String, DataSource> byName) implements DisposableBean {

		@Override
		public void destroy() {
			this.byName.values().forEach((dataSource) -> ((HikariDataSource) dataSource).close());
		}

	}

	@Bean
	AttemptStore attemptStore(DataSource dataSource, CommandOutbox outbox, RemediationProperties properties) {
		return new AttemptStore(dataSource, outbox, properties.lease());
	}

	@Bean
	KafkaTemplate<byte[], byte[]> kafkaTemplate(KafkaProperties kafka) {
		return RawRecords.template(kafka);
	}

	@Bean
	CommandOutbox commandOutbox(DataSource dataSource, KafkaTemplate<byte[], byte[]> kafka) {
		return new CommandOutbox(dataSource, kafka);
	}

	@Bean
	LatestIncidents latestIncidents() {
		return new LatestIncidents(Clock.systemUTC());
	}

	@Bean
	LatestIncidentsReader latestIncidentsReader(KafkaProperties kafka, LatestIncidents latest) {
		return new LatestIncidentsReader(kafka, latest);
	}

	@Bean
	KubernetesClients kubernetesClients() {
		return new KubernetesClients();
	}

	@Bean
	RemediationEngine remediationEngine(Catalogue catalogue, ActionDataSources dataSources, AttemptStore store,
			CommandOutbox publisher, LatestIncidents latest, KubernetesClients kubernetes,
			RemediationProperties properties, MeterRegistry meters) {
		RemediationEngine.Settings settings = new RemediationEngine.Settings(properties.dryRun(),
				properties.killSwitch(), properties.maxConcurrent(), properties.circuitBreaker().failures(),
				properties.circuitBreaker().window(), properties.shutdownGrace(), properties.lease());
		return new RemediationEngine(catalogue.runbooks(),
				List.of(new CommandAction(System.getenv()), new HttpAction(), new PostgresAction(dataSources.byName()),
						new FileCleanupAction(), new KubernetesAction(kubernetes),
						new DockerAction("docker", System.getenv())),
				store, publisher, latest, settings, Clock.systemUTC(), meters);
	}

	@Bean(CONTAINER_FACTORY)
	ConcurrentKafkaListenerContainerFactory<byte[], byte[]> incidentEventsContainerFactory(KafkaProperties kafka,
			RemediationProperties properties, KafkaTemplate<byte[], byte[]> kafkaTemplate, MeterRegistry meters) {
		// One event at a time, retried until PostgreSQL is back: skipping one would skip
		// its remediation.
		return RawRecords.listenerFactory(kafka, properties.groupId(), 100, properties.maxBackoff(), false,
				kafkaTemplate, meters);
	}

}
