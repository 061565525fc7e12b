package dev.firebreak.remediation.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.firebreak.platform.CommandOutbox;
import dev.firebreak.remediation.action.CommandAction;
import dev.firebreak.remediation.runbook.RunbookLoader;
import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.RemediationOutcome;
import dev.firebreak.schemas.avro.RemediationStatus;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.Teardown;
import dev.firebreak.testkit.TestInfrastructure;

import static dev.firebreak.remediation.engine.EngineFixture.fired;
import static dev.firebreak.remediation.engine.EngineFixture.firing;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two or more engines on one PostgreSQL (issue 19), each with a connection pool, an
 * instance id and an action pool of its own, as separate processes would have; their
 * outcomes stay in the outbox table, where the test reads them. A live engine's attempt
 * is never touched; one whose lease ran out is taken over exactly once; an engine that
 * stalled past its lease runs no further step and records nothing; {@code max-concurrent}
 * and the cooldown hold for all engines together.
 */
class LeaseTest {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final AvroCodec<IncidentCommand> COMMANDS = AvroCodec.of(IncidentCommand.class);

	private static final String FULL = "2 actions are running, the most allowed at once "
			+ "(firebreak.remediation.max-concurrent)";

	private final Teardown teardown = new Teardown();

	@TempDir
	Path work;

	private DataSource database;

	private JdbcClient jdbc;

	private Path actions;

	private Path flaky;

	@BeforeEach
	void database() {
		PostgresFixture postgres = TestInfrastructure.postgres();
		this.database = postgres.dataSource(postgres.createDatabase("lease"));
		Flyway.configure().dataSource(this.database).load().migrate();
		this.jdbc = JdbcClient.create(this.database);
		this.actions = this.work.resolve("actions.log");
		this.flaky = this.work.resolve("flaky.log");
	}

	@AfterEach
	void stop() throws IOException {
		release();
		this.teardown.close();
	}

	@Test
	void aLiveEnginesRunningAttemptIsUntouchedByAnEngineThatStarts() throws IOException {
		RemediationEngine first = engine(2, Duration.ofSeconds(1));
		ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor();
		this.teardown.add(renewals::shutdownNow);
		renewals.scheduleWithFixedDelay(first::renewLeases, 300, 300, TimeUnit.MILLISECONDS);
		first.handle(fired("INC-20261201-0101", 1, firing("Slow", "orders")));
		String id = "INC-20261201-0101.1.restart-slow";
		Eventually.within(WAIT).until(() -> lines().contains("orders"));
		Instant leasedUntil = leaseUntil(id);
		// Well past the lease it started with: only the renewals keep it.
		Eventually.within(WAIT).until(() -> databaseNow().isAfter(leasedUntil.plusMillis(500)));

		RemediationEngine second = engine(2, Duration.ofSeconds(1));

		assertThat(second.recover()).isZero();
		assertThat(row(id)).isEqualTo(new Row("STARTED", first.owner()));
		assertThat(leaseUntil(id)).isAfter(leasedUntil);
		release();
		Eventually.within(WAIT).until(() -> row(id).status().equals("VERIFYING"));
		assertThat(row(id)).isEqualTo(new Row("VERIFYING", first.owner()));
		assertThat(statuses("INC-20261201-0101")).containsExactly(RemediationStatus.STARTED);
		assertThat(lines()).containsExactly("orders");
	}

	@Test
	void anExpiredLeaseIsTakenOverExactlyOnceByTwoEnginesRecoveringAtOnce() throws Exception {
		List<String> expired = IntStream.range(0, 20).mapToObj((i) -> leftBy("crashed", i, "-1 second")).toList();
		List<String> beforeLeases = IntStream.range(20, 40).mapToObj((i) -> leftBy("old", i, null)).toList();
		String live = leftBy("peer", 40, "1 hour");
		Instant liveLease = leaseUntil(live);
		RemediationEngine one = engine(2, Duration.ofSeconds(30));
		RemediationEngine other = engine(2, Duration.ofSeconds(30));

		CountDownLatch go = new CountDownLatch(1);
		CompletableFuture<Integer> byOne = CompletableFuture.supplyAsync(awaiting(go, one::recover));
		CompletableFuture<Integer> byOther = CompletableFuture.supplyAsync(awaiting(go, other::recover));
		go.countDown();

		assertThat(byOne.get(30, TimeUnit.SECONDS) + byOther.get(30, TimeUnit.SECONDS)).isEqualTo(40);
		assertThat(owned(one.owner())).isEqualTo(byOne.get());
		assertThat(owned(other.owner())).isEqualTo(byOther.get());
		for (String id : concat(expired, beforeLeases)) {
			assertThat(row(id).status()).as(id).isEqualTo("OUTCOME_UNKNOWN");
			assertThat(row(id).owner()).as(id).isIn(one.owner(), other.owner());
			String incident = id.substring(0, id.indexOf('.'));
			assertThat(outcomes(incident)).as(id).singleElement().satisfies((outcome) -> {
				assertThat(outcome.getStatus()).isEqualTo(RemediationStatus.OUTCOME_UNKNOWN);
				assertThat(outcome.getReason()).startsWith("the engine stopped while the action ran (started ")
					.endsWith("not run again: the runbook does not mark its action idempotent");
			});
		}
		assertThat(row(live)).isEqualTo(new Row("STARTED", "peer"));
		assertThat(leaseUntil(live)).isEqualTo(liveLease);
		assertThat(one.recover() + other.recover()).as("nothing left to take over").isZero();
	}

	@Test
	void aStalledEngineRunsNoFurtherStepOnceItsAttemptIsTakenOver() throws IOException {
		// Nobody renews its leases: it has stalled.
		RemediationEngine stalled = engine(2, Duration.ofSeconds(1));
		stalled.handle(fired("INC-20261201-0301", 1, firing("Stepped", "billing")));
		String id = "INC-20261201-0301.1.restart-in-steps";
		Eventually.within(WAIT).until(() -> lines().contains("stop billing"));
		Eventually.within(WAIT).until(() -> leaseRanOut(id));
		RemediationEngine peer = engine(2, Duration.ofSeconds(30));

		assertThat(peer.recover()).isEqualTo(1);
		assertThat(row(id)).isEqualTo(new Row("OUTCOME_UNKNOWN", peer.owner()));

		release();
		stalled.close();
		assertThat(lines()).as("its second step never ran").containsExactly("stop billing");
		assertThat(row(id)).isEqualTo(new Row("OUTCOME_UNKNOWN", peer.owner()));
		assertThat(statuses("INC-20261201-0301")).containsExactly(RemediationStatus.STARTED,
				RemediationStatus.OUTCOME_UNKNOWN);
	}

	@Test
	void aStalledEngineRecordsNothingOnAnAttemptItsPeerRunsAgain() throws IOException {
		// Its first run fails once released; the peer's run again succeeds.
		RemediationEngine stalled = engine(2, Duration.ofSeconds(1));
		stalled.handle(fired("INC-20261201-0401", 1, firing("Flaky", "payments")));
		String id = "INC-20261201-0401.1.restart-flaky";
		Eventually.within(WAIT).until(() -> lines(this.flaky).size() == 1);
		Eventually.within(WAIT).until(() -> leaseRanOut(id));
		RemediationEngine peer = engine(2, Duration.ofSeconds(30));

		assertThat(peer.recover()).isEqualTo(1);
		Eventually.within(WAIT).until(() -> lines(this.flaky).size() == 2);
		assertThat(row(id)).isEqualTo(new Row("STARTED", peer.owner()));

		Files.createFile(this.flaky.resolveSibling("flaky.log.go"));
		stalled.close();
		assertThat(row(id)).as("its failure is not recorded on the peer's run")
			.isEqualTo(new Row("STARTED", peer.owner()));
		assertThat(statuses("INC-20261201-0401")).containsExactly(RemediationStatus.STARTED);

		release();
		Eventually.within(WAIT).until(() -> row(id).status().equals("VERIFYING"));
		assertThat(row(id)).isEqualTo(new Row("VERIFYING", peer.owner()));
		assertThat(statuses("INC-20261201-0401")).containsExactly(RemediationStatus.STARTED);
	}

	@Test
	void maxConcurrentHoldsForTwoEnginesTogether() throws Exception {
		RemediationEngine one = engine(2, Duration.ofSeconds(30));
		RemediationEngine other = engine(2, Duration.ofSeconds(30));
		List<IncidentEvent> events = IntStream.range(0, 10)
			.mapToObj((i) -> fired("INC-20261201-05%02d".formatted(i), 1, firing("Slow", "service-" + i)))
			.toList();

		handleTogether(one, other, events);

		assertThat(count("STARTED")).isEqualTo(2);
		assertThat(count("SKIPPED")).isEqualTo(8);
		assertThat(this.jdbc.sql("SELECT DISTINCT reason FROM attempt WHERE status = 'SKIPPED'")
			.query(String.class)
			.list()).containsExactly(FULL);
		Eventually.within(WAIT).until(() -> lines().size() == 2);
		List<RemediationStatus> reported = events.stream()
			.flatMap((event) -> statuses(event.getIncidentId()).stream())
			.toList();
		assertThat(reported).filteredOn(RemediationStatus.STARTED::equals).hasSize(2);
		assertThat(reported).filteredOn(RemediationStatus.SKIPPED::equals).hasSize(8);
	}

	@Test
	void theCooldownHoldsForTwoEnginesTogether() throws Exception {
		RemediationEngine one = engine(10, Duration.ofSeconds(30));
		RemediationEngine other = engine(10, Duration.ofSeconds(30));
		List<IncidentEvent> events = IntStream.range(0, 6)
			.mapToObj((i) -> fired("INC-20261201-06%02d".formatted(i), 1, firing("Cooled", "shared")))
			.toList();

		handleTogether(one, other, events);

		assertThat(this.jdbc.sql("SELECT count(*) FROM attempt WHERE started_at IS NOT NULL")
			.query(Integer.class)
			.single()).isEqualTo(1);
		assertThat(count("SKIPPED")).isEqualTo(5);
		assertThat(this.jdbc.sql("SELECT reason FROM attempt WHERE status = 'SKIPPED'").query(String.class).list())
			.allSatisfy((reason) -> assertThat(reason).matches("ran on shared at \\S+, within its cooldown of 1h"));
		Eventually.within(WAIT).until(() -> lines().equals(List.of("cooled shared")));
	}

	/**
	 * An engine as another process would be: a connection pool and an instance id of its
	 * own, the catalogue of these tests, command actions.
	 */
	private RemediationEngine engine(int maxConcurrent, Duration lease) {
		HikariDataSource pool = this.teardown.add(new HikariDataSource());
		pool.setDataSource(this.database);
		pool.setMaximumPoolSize(4);
		CommandOutbox outbox = new KeptOutbox(pool);
		RemediationEngine.Settings settings = new RemediationEngine.Settings(false, false, maxConcurrent, 1000,
				Duration.ofHours(1), Duration.ofSeconds(10), lease);
		return this.teardown.add(new RemediationEngine(catalogue(), List.of(new CommandAction(System.getenv())),
				new AttemptStore(pool, outbox, lease), outbox, new LatestIncidents(Clock.systemUTC()), settings,
				Clock.systemUTC(), new SimpleMeterRegistry()));
	}

	private List<dev.firebreak.remediation.runbook.Runbook> catalogue() {
		// Writes a line, then waits for the test to release it.
		String slow = "'echo \"$1\" >> \"$0\"; while [ ! -e \"$0.go\" ]; do sleep 0.05; done'";
		// The first run waits for .go and fails; a later one waits for .go2 and succeeds.
		String flaky = "'echo \"$1\" >> \"$0\"; if [ \"$(wc -l < \"$0\")\" -eq 1 ]; then "
				+ "while [ ! -e \"$0.go\" ]; do sleep 0.05; done; exit 1; fi; "
				+ "while [ ! -e \"$0.go2\" ]; do sleep 0.05; done'";
		return RunbookLoader.parse(Map.of("slow.yaml", """
				id: restart-slow
				match: { labels: { alertname: Slow } }
				action:
				  type: command
				  argv: [/bin/sh, -c, %s, "%s", "{{labels.service}}"]
				  timeout: 1m
				guardrails: { dryRun: false, cooldown: 1ms, maxAttempts: 3 }
				verification: { window: 10m }
				""".formatted(slow, this.actions), "stepped.yaml",
				"""
						id: restart-in-steps
						match: { labels: { alertname: Stepped } }
						steps:
						  - name: stop
						    action: { type: command, argv: [/bin/sh, -c, %s, "%s", "stop {{labels.service}}"], timeout: 1m }
						  - name: start
						    action: { type: command, argv: [/bin/sh, -c, 'echo "$1" >> "$0"', "%s", "start {{labels.service}}"] }
						guardrails: { dryRun: false, cooldown: 1ms, maxAttempts: 3 }
						verification: { window: 10m }
						"""
					.formatted(slow, this.actions, this.actions),
				"cooled.yaml", """
						id: restart-cooled
						match: { labels: { alertname: Cooled } }
						action:
						  type: command
						  argv: [/bin/sh, -c, 'echo "$1" >> "$0"', "%s", "cooled {{labels.service}}"]
						target: "{{labels.service}}"
						guardrails: { dryRun: false, cooldown: 1h, maxAttempts: 3 }
						verification: { window: 10m }
						""".formatted(this.actions), "flaky.yaml", """
						id: restart-flaky
						match: { labels: { alertname: Flaky } }
						action:
						  type: command
						  argv: [/bin/sh, -c, %s, "%s", "{{labels.service}}"]
						  timeout: 1m
						guardrails: { dryRun: false, cooldown: 1ms, maxAttempts: 3, idempotent: true }
						verification: { window: 10m }
						""".formatted(flaky, this.flaky)));
	}

	/** An outbox that keeps its commands in its table, where the test reads them. */
	private static final class KeptOutbox extends CommandOutbox {

		KeptOutbox(DataSource dataSource) {
			super(dataSource, null);
		}

		@Override
		public synchronized void flush() {
		}

	}

	/**
	 * A STARTED attempt another engine left, as the store writes one.
	 * @param lease how long its lease still runs ({@code -1 second}: it ran out), or
	 * {@code null} for none, as before leases
	 */
	private String leftBy(String owner, int number, String lease) {
		String incident = "INC-20261201-02%02d".formatted(number);
		String id = incident + ".1.restart-slow";
		this.jdbc.sql("""
				INSERT INTO attempt (remediation_id, incident_id, event_sequence, runbook_id, alert_fingerprint, target,
				    attempt, status, dry_run, template_values, owner, reason, created_at, started_at, lease_until)
				VALUES (?, ?, 1, 'restart-slow', 'fingerprint', 'orders', 1, 'STARTED', false,
				    '{"labels.service": "orders"}', ?, 'running command on orders', now(), now(),
				    clock_timestamp() + CAST(? AS interval))""").params(id, incident, owner, lease).update();
		return id;
	}

	private static Supplier<Integer> awaiting(CountDownLatch go, Supplier<Integer> work) {
		return () -> {
			try {
				go.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return work.get();
		};
	}

	/**
	 * The first half of the events handled by one engine, the second by the other, both
	 * at once.
	 */
	private static void handleTogether(RemediationEngine one, RemediationEngine other, List<IncidentEvent> events)
			throws Exception {
		int half = events.size() / 2;
		CountDownLatch go = new CountDownLatch(1);
		CompletableFuture<Void> byOne = CompletableFuture.runAsync(() -> handle(go, one, events.subList(0, half)));
		CompletableFuture<Void> byOther = CompletableFuture
			.runAsync(() -> handle(go, other, events.subList(half, events.size())));
		go.countDown();
		CompletableFuture.allOf(byOne, byOther).get(30, TimeUnit.SECONDS);
	}

	private static void handle(CountDownLatch go, RemediationEngine engine, List<IncidentEvent> events) {
		awaiting(go, () -> {
			events.forEach(engine::handle);
			return events.size();
		}).get();
	}

	private record Row(String status, String owner) {
	}

	private Row row(String remediationId) {
		return this.jdbc.sql("SELECT status, owner FROM attempt WHERE remediation_id = ?")
			.param(remediationId)
			.query((result, number) -> new Row(result.getString(1), result.getString(2)))
			.single();
	}

	private int owned(String owner) {
		return this.jdbc.sql("SELECT count(*) FROM attempt WHERE owner = ?").param(owner).query(Integer.class).single();
	}

	private int count(String status) {
		return this.jdbc.sql("SELECT count(*) FROM attempt WHERE status = ?")
			.param(status)
			.query(Integer.class)
			.single();
	}

	private Instant leaseUntil(String remediationId) {
		return this.jdbc.sql("SELECT lease_until FROM attempt WHERE remediation_id = ?")
			.param(remediationId)
			.query((result, number) -> result.getTimestamp(1).toInstant())
			.single();
	}

	private boolean leaseRanOut(String remediationId) {
		return this.jdbc.sql("SELECT lease_until < clock_timestamp() FROM attempt WHERE remediation_id = ?")
			.param(remediationId)
			.query(Boolean.class)
			.single();
	}

	private Instant databaseNow() {
		return this.jdbc.sql("SELECT clock_timestamp()")
			.query((result, number) -> result.getTimestamp(1).toInstant())
			.single();
	}

	/** The outcomes the engines reported for the incident, in order. */
	private List<RemediationOutcome> outcomes(String incidentId) {
		return this.jdbc.sql("SELECT payload FROM outbox WHERE incident_id = ? ORDER BY id")
			.param(incidentId)
			.query((result, number) -> COMMANDS.decode(result.getBytes(1)).getRemediation())
			.list();
	}

	private List<RemediationStatus> statuses(String incidentId) {
		return outcomes(incidentId).stream().map(RemediationOutcome::getStatus).toList();
	}

	private List<String> lines() throws IOException {
		return lines(this.actions);
	}

	private static List<String> lines(Path file) throws IOException {
		return Files.exists(file) ? Files.readAllLines(file) : List.of();
	}

	/** Lets every action waiting in the catalogue's scripts end. */
	private void release() throws IOException {
		for (String go : List.of("actions.log.go", "flaky.log.go", "flaky.log.go2")) {
			if (!Files.exists(this.work.resolve(go))) {
				Files.createFile(this.work.resolve(go));
			}
		}
	}

	private static List<String> concat(List<String> first, List<String> second) {
		return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
	}

}
