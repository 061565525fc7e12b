package dev.firebreak.notifier;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.notifier.channel.WebhookSender;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.CommandType;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.NotificationOutcome;
import dev.firebreak.schemas.avro.NotificationStatus;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentEvents;
import dev.firebreak.schemas.fixtures.Incidents;
import dev.firebreak.testkit.ChannelStandIn;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.AccessCheck;
import dev.firebreak.testkit.KafkaBroker;
import dev.firebreak.testkit.KafkaRecords;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two-way PagerDuty and Slack, against the running notifier: signed requests from the
 * test to its HTTP port, commands read back from {@code firebreak.incident-commands}, and
 * real HTTP servers playing PagerDuty's Events API, Slack's Web API and a click's
 * response_url. Every refusal is checked for its exact effect: none (a later request that
 * is taken shows that nothing was published before it, the outbox being in order).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "firebreak.notifier.routes[0].name=all", "firebreak.notifier.routes[0].channels=SLACK,PAGERDUTY",
				"firebreak.public-url=https://firebreak.example.com/" })
class TwoWayIntegrationsTest {

	static final String ROUTING_KEY = "R0UT1NGK3YS3CR3T0000000000000000";

	static final String OLD_SECRET = "pd-webhook-secret-being-retired";

	static final String NEW_SECRET = "pd-webhook-secret-new";

	static final String PAGERDUTY = "/api/v1/integrations/pagerduty";

	static final String SIGNING_SECRET = "slack-signing-secret-8f1e";

	private static final Duration WAIT = Duration.ofSeconds(60);

	/**
	 * A broker of its own: its incidents would otherwise reach every notifier test on the
	 * shared one.
	 */
	private static final KafkaBroker KAFKA = KafkaBroker.startNew();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static ChannelStandIn slack;

	private static ChannelStandIn pagerDuty;

	private static ChannelStandIn responses;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
		slack = ChannelStandIn.slackApi();
		pagerDuty = ChannelStandIn.pagerDuty();
		responses = ChannelStandIn.webhook();
		PostgresFixture postgres = TestInfrastructure.postgres();
		String database = postgres.createDatabase("two_way");
		registry.add("spring.kafka.bootstrap-servers", KAFKA::bootstrapServers);
		registry.add("spring.datasource.url", () -> postgres.jdbcUrl(database));
		registry.add("spring.datasource.username", postgres::username);
		registry.add("spring.datasource.password", postgres::password);
		registry.add("firebreak.notifier.slack.bot-token", () -> "xoxb-000-S3CR3T-T0K3N");
		registry.add("firebreak.notifier.slack.channel", () -> "C0INCIDENTS");
		registry.add("firebreak.notifier.slack.api-url", () -> slack.url("/api"));
		registry.add("firebreak.notifier.slack.rate-per-second", () -> "50");
		registry.add("firebreak.notifier.slack.burst", () -> "10");
		registry.add("firebreak.notifier.slack.signing-secret", () -> SIGNING_SECRET);
		registry.add("firebreak.notifier.slack.users[0].slack-user", () -> "U0ALICE");
		registry.add("firebreak.notifier.slack.users[0].name", () -> "alice");
		registry.add("firebreak.notifier.slack.users[0].role", () -> "operator");
		registry.add("firebreak.notifier.slack.users[1].slack-user", () -> "U0VICTOR");
		registry.add("firebreak.notifier.slack.users[1].name", () -> "victor");
		registry.add("firebreak.notifier.slack.users[1].role", () -> "viewer");
		registry.add("firebreak.notifier.pagerduty.events-url", () -> pagerDuty.url("/v2/enqueue"));
		registry.add("firebreak.notifier.pagerduty.routing-key", () -> ROUTING_KEY);
		registry.add("firebreak.notifier.pagerduty.rate-per-second", () -> "50");
		registry.add("firebreak.notifier.pagerduty.burst", () -> "10");
		registry.add("firebreak.notifier.pagerduty.webhook-secrets[0]", () -> NEW_SECRET);
		registry.add("firebreak.notifier.pagerduty.webhook-secrets[1]", () -> OLD_SECRET);
	}

	@AfterAll
	static void stop() {
		slack.close();
		pagerDuty.close();
		responses.close();
		KAFKA.close();
	}

	@Test
	void aPagerDutyUsersAcknowledgementAndResolutionBecomeCommandsAndNothingElseGetsThrough() throws Exception {
		String id = "INC-20261124-0001";
		send(opened(id, Severity.SEV2));
		awaitPagerDuty(id, "trigger");
		Instant now = Instant.now();

		String ack = pagerDutyEvent("01ACK", "incident.acknowledged", now, id, "user_reference");
		HttpResponse<String> wrong = postPagerDuty(ack, "v1=" + WebhookSender.sign("not-the-secret", ack));
		assertThat(wrong.statusCode()).isEqualTo(401);
		assertThat(JSON.readTree(wrong.body()).path("type").asString())
			.isEqualTo("urn:firebreak:problem:unauthenticated");
		assertThat(postPagerDuty(ack, null).statusCode()).isEqualTo(401);
		String tampered = ack.replace("Paula Pager", "Mallory Pager");
		assertThat(postPagerDuty(tampered, signed(ack, NEW_SECRET)).statusCode()).isEqualTo(401);
		// Signed as it should be, but to the path written in a form that is not normal:
		// refused before anything reads it (had one been taken, the event id would be,
		// and
		// the acknowledgement below would be refused as a replay).
		for (String variant : AccessCheck.abnormal(PAGERDUTY)) {
			assertThat(postPagerDutyTo(variant, ack, signed(ack, NEW_SECRET)).statusCode()).as(variant)
				.isBetween(400, 499);
		}

		String stale = pagerDutyEvent("01STALE", "incident.acknowledged", now.minus(Duration.ofMinutes(31)), id,
				"user_reference");
		HttpResponse<String> refusedStale = postPagerDuty(stale, signed(stale, NEW_SECRET));
		assertThat(refusedStale.statusCode()).isEqualTo(409);
		assertThat(JSON.readTree(refusedStale.body()).path("type").asString()).isEqualTo("urn:firebreak:problem:stale");
		String ahead = pagerDutyEvent("01AHEAD", "incident.acknowledged", now.plus(Duration.ofMinutes(2)), id,
				"user_reference");
		assertThat(postPagerDuty(ahead, signed(ahead, NEW_SECRET)).statusCode()).isEqualTo(409);

		String annotated = pagerDutyEvent("01NOTE", "incident.annotated", now, id, "user_reference");
		HttpResponse<String> ignored = postPagerDuty(annotated, signed(annotated, NEW_SECRET));
		assertThat(ignored.statusCode()).isEqualTo(202);
		assertThat(JSON.readTree(ignored.body()).path("status").asString()).isEqualTo("ignored");
		String byService = pagerDutyEvent("01SERVICE", "incident.resolved", now, id, "service_reference");
		assertThat(
				JSON.readTree(postPagerDuty(byService, signed(byService, NEW_SECRET)).body()).path("status").asString())
			.isEqualTo("ignored");

		String unknown = pagerDutyEvent("01UNKNOWN", "incident.acknowledged", now, "INC-20261124-0099",
				"user_reference");
		HttpResponse<String> notOurs = postPagerDuty(unknown, signed(unknown, NEW_SECRET));
		assertThat(notOurs.statusCode()).isEqualTo(404);
		assertThat(JSON.readTree(notOurs.body()).path("type").asString())
			.isEqualTo("urn:firebreak:problem:unknown-incident");

		assertThat(postPagerDuty("{\"event\":\"" + "x".repeat(70 * 1024) + "\"}", "v1=00").statusCode()).isEqualTo(413);

		// The secret being retired still signs: a rotation under way.
		HttpResponse<String> accepted = postPagerDuty(ack, signed(ack, OLD_SECRET));
		assertThat(accepted.statusCode()).isEqualTo(202);
		assertThat(JSON.readTree(accepted.body()).path("commandId").asString()).isEqualTo("pagerduty:01ACK");
		HttpResponse<String> replayed = postPagerDuty(ack, signed(ack, OLD_SECRET));
		assertThat(replayed.statusCode()).isEqualTo(409);
		assertThat(JSON.readTree(replayed.body()).path("type").asString()).isEqualTo("urn:firebreak:problem:replayed");

		String resolved = pagerDutyEvent("01RESOLVE", "incident.resolved", now, id, "user_reference");
		// Both of PagerDuty's signatures during a rotation: one matches.
		assertThat(postPagerDuty(resolved,
				"v1=" + WebhookSender.sign("a-secret-we-never-had", resolved) + "," + signed(resolved, NEW_SECRET))
			.statusCode()).isEqualTo(202);

		List<IncidentCommand> commands = awaitCommands(id, 2);
		assertThat(commands)
			.extracting((command) -> command.getType() + " " + command.getCommandId() + " "
					+ command.getActor().getKind() + " " + command.getActor().getName())
			.containsExactly("ACKNOWLEDGE pagerduty:01ACK OPERATOR Paula Pager (PagerDuty)",
					"RESOLVE pagerduty:01RESOLVE OPERATOR Paula Pager (PagerDuty)");
		assertThat(commands("INC-20261124-0099")).isEmpty();
	}

	@Test
	void aPagerDutyAcknowledgementIsNotSentBackToPagerDutyButAnOperatorsIs() throws Exception {
		String fromPagerDuty = "INC-20261124-0002";
		String fromOperator = "INC-20261124-0003";
		send(opened(fromPagerDuty, Severity.SEV1));
		send(opened(fromOperator, Severity.SEV1));
		awaitPagerDuty(fromPagerDuty, "trigger");
		awaitPagerDuty(fromOperator, "trigger");

		String ack = pagerDutyEvent("02ACK", "incident.acknowledged", Instant.now(), fromPagerDuty, "user_reference");
		assertThat(postPagerDuty(ack, signed(ack, NEW_SECRET)).statusCode()).isEqualTo(202);
		IncidentCommand command = awaitCommands(fromPagerDuty, 1).get(0);
		assertThat(command.getCommandId()).isEqualTo("pagerduty:02ACK");

		// incident-store applies it: the event carries the command's id.
		send(acknowledged(fromPagerDuty, command.getActor().getName(), command.getCommandId()));
		send(acknowledged(fromOperator, "olivia", "0b5f7c1e-operator-acknowledge"));

		awaitPagerDuty(fromOperator, "acknowledge");
		NotificationOutcome suppressed = Eventually.within(WAIT)
			.until(() -> NotificationOutcomes.of(KAFKA, fromPagerDuty)
				.stream()
				.filter((outcome) -> outcome.getStatus() == NotificationStatus.SUPPRESSED)
				.toList(), (list) -> !list.isEmpty())
			.get(0);
		assertThat(suppressed.getChannel()).hasToString("PAGERDUTY");
		assertThat(suppressed.getEventSequence()).isEqualTo(2);
		assertThat(suppressed.getReason()).isEqualTo("not sent back: the change came from PagerDuty");
		// Slack still hears of it.
		Eventually.within(WAIT)
			.until(() -> slack.received()
				.stream()
				.anyMatch((call) -> call.body().path("thread_ts").isString()
						&& call.body().path("text").asString().contains(fromPagerDuty)
						&& call.body().path("text").asString().contains("Acknowledged by Paula Pager (PagerDuty)")));
		assertThat(pagerDutyActions(fromPagerDuty)).containsExactly("trigger");
		assertThat(pagerDutyActions(fromOperator)).containsExactly("trigger", "acknowledge");
		assertThat(pagerDuty.problems()).isEmpty();
	}

	@Test
	void aMappedOperatorsClicksBecomeCommandsByThemAndTheMessageSaysWhoDidWhat() throws Exception {
		String id = "INC-20261124-0004";
		send(opened(id, Severity.SEV3));
		JsonNode first = awaitSlack(id, (call) -> call.path().equals("/api/chat.postMessage")).body();
		assertThat(buttons(first)).containsExactly("firebreak-acknowledge " + id, "firebreak-resolve " + id);

		String click = click("U0ALICE", "firebreak-acknowledge", id, "T-ACK-1");
		long now = Instant.now().getEpochSecond();
		assertThat(postSlack(click, now, "v0=" + WebhookSender.sign("not-the-secret", "v0:" + now + ":" + click))
			.statusCode()).isEqualTo(401);
		long old = now - 6 * 60;
		assertThat(postSlack(click, old, slackSignature(click, old)).statusCode()).isEqualTo(401);
		assertThat(postSlack(click, now, null).statusCode()).isEqualTo(401);

		HttpResponse<String> stranger = postSlack(click("U0NOBODY", "firebreak-acknowledge", id, "T-ACK-0"), now);
		assertThat(stranger.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(stranger.body()).path("text").asString())
			.startsWith("Firebreak does not know your Slack user (U0NOBODY)");
		HttpResponse<String> viewer = postSlack(click("U0VICTOR", "firebreak-resolve", id, "T-RES-0"), now);
		assertThat(JSON.readTree(viewer.body()).path("text").asString())
			.isEqualTo("victor is a viewer in Firebreak: to resolve " + id + " needs the operator role. "
					+ "Nothing was done.");

		HttpResponse<String> taken = postSlack(click, now);
		assertThat(taken.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(taken.body()).path("response_type").asString()).isEqualTo("ephemeral");
		assertThat(commandLines(awaitCommands(id, 1))).containsExactly("ACKNOWLEDGE slack:T-ACK-1 OPERATOR alice");
		// The refusals were answered privately at the click's response_url too.
		Eventually.within(WAIT).until(() -> responses.received().size() >= 3);
		assertThat(responses.received()).extracting((answer) -> answer.body().path("text").asString())
			.anyMatch((text) -> text.startsWith("Firebreak does not know your Slack user (U0NOBODY)"))
			.anyMatch((text) -> text.startsWith("victor is a viewer"))
			.anyMatch((text) -> text.startsWith("Firebreak will acknowledge " + id + " for alice"));

		// incident-store applies it; the thread's first message says who, and offers
		// Resolve only.
		send(acknowledged(id, "alice", "slack:T-ACK-1"));
		JsonNode refreshed = awaitSlack(id,
				(call) -> call.path().equals("/api/chat.update") && call.body().toString().contains("Acknowledged by"))
			.body();
		assertThat(fields(refreshed)).contains("*Status*\nACKNOWLEDGED", "*Acknowledged by*\nalice");
		assertThat(buttons(refreshed)).containsExactly("firebreak-resolve " + id);

		// A remediation waits: the first message offers Approve and Reject (its own
		// message, a reply, offers nothing that could outlive the decision).
		send(awaitingApproval(id, "rem-7"));
		JsonNode approval = awaitSlack(id, (call) -> call.path().equals("/api/chat.postMessage")
				&& call.body().path("text").asString().contains("waits for approval"))
			.body();
		assertThat(buttons(approval)).isEmpty();
		JsonNode offered = awaitSlack(id, (call) -> call.path().equals("/api/chat.update")
				&& call.body().toString().contains("firebreak-approve"))
			.body();
		assertThat(buttons(offered)).containsExactly("firebreak-approve " + id + " rem-7",
				"firebreak-reject " + id + " rem-7", "firebreak-resolve " + id);
		postSlack(click("U0ALICE", "firebreak-approve", id + " rem-7", "T-APPROVE-1"), Instant.now().getEpochSecond());
		// The same click again (Slack's trigger id is the click's): taken once.
		HttpResponse<String> again = postSlack(click("U0ALICE", "firebreak-approve", id + " rem-7", "T-APPROVE-1"),
				Instant.now().getEpochSecond());
		assertThat(JSON.readTree(again.body()).path("text").asString()).startsWith("This click was received already");
		postSlack(click("U0ALICE", "firebreak-resolve", id, "T-RES-1"), Instant.now().getEpochSecond());
		List<IncidentCommand> commands = awaitCommands(id, 3);
		assertThat(commandLines(commands)).containsExactly("ACKNOWLEDGE slack:T-ACK-1 OPERATOR alice",
				"APPROVE_REMEDIATION slack:T-APPROVE-1 OPERATOR alice", "RESOLVE slack:T-RES-1 OPERATOR alice");
		assertThat(commands.get(1).getDecision().getRemediationId()).isEqualTo("rem-7");

		// Resolved: the first message says by whom, and has no buttons left.
		send(resolved(id, "alice", "slack:T-RES-1"));
		JsonNode last = awaitSlack(id,
				(call) -> call.path().equals("/api/chat.update") && call.body().toString().contains("Resolved by"))
			.body();
		assertThat(fields(last)).contains("*Status*\nRESOLVED", "*Acknowledged by*\nalice", "*Resolved by*\nalice");
		assertThat(buttons(last)).isEmpty();
		assertThat(last.toString()).contains("<https://firebreak.example.com/console/incidents/" + id + "|" + id + ">");
		assertThat(slack.problems()).isEmpty();
	}

	// Requests

	private HttpResponse<String> postPagerDuty(String body, String signature) throws Exception {
		return postPagerDutyTo(PAGERDUTY, body, signature);
	}

	private HttpResponse<String> postPagerDutyTo(String path, String body, String signature) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		if (signature != null) {
			request.header("X-PagerDuty-Signature", signature);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> postSlack(String body, long timestamp) throws Exception {
		return postSlack(body, timestamp, slackSignature(body, timestamp));
	}

	private HttpResponse<String> postSlack(String body, long timestamp, String signature) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/integrations/slack"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-Slack-Request-Timestamp", Long.toString(timestamp))
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		if (signature != null) {
			request.header("X-Slack-Signature", signature);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String signed(String body, String secret) {
		return "v1=" + WebhookSender.sign(secret, body);
	}

	private static String slackSignature(String body, long timestamp) {
		return "v0=" + WebhookSender.sign(SIGNING_SECRET, "v0:" + timestamp + ":" + body);
	}

	/** A PagerDuty v3 webhook, as PagerDuty documents its shape. */
	private static String pagerDutyEvent(String eventId, String type, Instant occurredAt, String incidentKey,
			String agentType) {
		return """
				{"event":{"id":"%s","event_type":"%s","resource_type":"incident","occurred_at":"%s",
				"agent":{"html_url":"https://acme.pagerduty.com/users/PLH1HKV","id":"PLH1HKV",
				"self":"https://api.pagerduty.com/users/PLH1HKV","summary":"Paula Pager","type":"%s"},
				"client":null,"data":{"id":"PGR0VU2","type":"incident","number":2,"status":"acknowledged",
				"incident_key":"%s","title":"[SEV2] %s api is down","urgency":"high"}}}""".formatted(eventId, type,
				occurredAt, agentType, incidentKey, incidentKey);
	}

	/** Slack's block_actions payload for a click on a button, form-encoded. */
	private static String click(String user, String actionId, String value, String triggerId) {
		String payload = """
				{"type":"block_actions","user":{"id":"%s","username":"someone","team_id":"T0"},
				"api_app_id":"A0","container":{"type":"message","message_ts":"1795341600.000001",
				"channel_id":"C0INCIDENTS"},"trigger_id":"%s","team":{"id":"T0"},"channel":{"id":"C0INCIDENTS"},
				"response_url":"%s","actions":[{"action_id":"%s","block_id":"firebreak-actions",
				"text":{"type":"plain_text","text":"Click"},"value":"%s","type":"button",
				"action_ts":"1795341601.000002"}]}""".formatted(user, triggerId, responses.url("/actions/T0/1/x"),
				actionId, value);
		return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
	}

	// Events, as incident-store publishes them

	private static IncidentEvent opened(String id, Severity severity) {
		return IncidentEvents.of(IncidentEventType.OPENED, incident(id, severity, IncidentStatus.OPEN, 1))
			.reason("opened by ServiceDown")
			.at(Instant.now())
			.build();
	}

	private static IncidentEvent acknowledged(String id, String by, String commandId) {
		Incident incident = incident(id, Severity.SEV2, IncidentStatus.ACKNOWLEDGED, 2);
		incident.setAcknowledgedBy(by);
		return IncidentEvents.of(IncidentEventType.ACKNOWLEDGED, incident)
			.by(ActorKind.OPERATOR, by)
			.command(commandId)
			.at(Instant.now())
			.build();
	}

	private static IncidentEvent awaitingApproval(String id, String remediationId) {
		Incident incident = incident(id, Severity.SEV2, IncidentStatus.ACKNOWLEDGED, 3);
		incident.setAcknowledgedBy("alice");
		return IncidentEvents.of(IncidentEventType.REMEDIATION_AWAITING_APPROVAL, incident)
			.reason("restart-application needs approval")
			.detail("remediationId", remediationId)
			.detail("runbook", "restart-application")
			.at(Instant.now())
			.build();
	}

	private static IncidentEvent resolved(String id, String by, String commandId) {
		Incident incident = incident(id, Severity.SEV2, IncidentStatus.RESOLVED, 4);
		incident.setAcknowledgedBy("alice");
		incident.setResolvedBy(by);
		return IncidentEvents.of(IncidentEventType.RESOLVED, incident)
			.by(ActorKind.OPERATOR, by)
			.command(commandId)
			.reason("resolved by " + by)
			.at(Instant.now())
			.build();
	}

	private static Incident incident(String id, Severity severity, IncidentStatus status, long version) {
		return Incidents.open(id)
			.severity(severity)
			.status(status)
			.version(version)
			.alert(Alerts.firing("ServiceDown").label("service", "api-" + id).build())
			.build();
	}

	private static void send(IncidentEvent event) {
		KafkaRecords.produce(KAFKA, Topics.INCIDENT_EVENTS, Map.entry(event.getIncidentId(), event));
	}

	// What came out

	/** The incident's commands but the notifier's outcomes, in the order published. */
	private static List<IncidentCommand> commands(String id) {
		return KafkaRecords.readAll(KAFKA, Topics.INCIDENT_COMMANDS, Duration.ofSeconds(10))
			.stream()
			.filter((record) -> id.equals(record.key()))
			.map(ConsumerRecord::value)
			.filter((command) -> command.getType() != CommandType.NOTIFICATION_OUTCOME)
			.toList();
	}

	private static List<IncidentCommand> awaitCommands(String id, int count) {
		return Eventually.within(WAIT).until(() -> commands(id), (list) -> list.size() >= count);
	}

	private static List<String> commandLines(List<IncidentCommand> commands) {
		return commands.stream()
			.map((command) -> command.getType() + " " + command.getCommandId() + " " + command.getActor().getKind()
					+ " " + command.getActor().getName())
			.toList();
	}

	private static void awaitPagerDuty(String id, String action) {
		Eventually.within(WAIT).until(() -> pagerDutyActions(id).contains(action));
	}

	private static List<String> pagerDutyActions(String id) {
		return pagerDuty.received()
			.stream()
			.filter((event) -> id.equals(event.body().path("dedup_key").asString()))
			.map((event) -> event.body().path("event_action").asString())
			.toList();
	}

	private static ChannelStandIn.Received awaitSlack(String id,
			java.util.function.Predicate<ChannelStandIn.Received> which) {
		return Eventually.within(WAIT)
			.until(() -> slack.received()
				.stream()
				.filter((call) -> call.body().path("text").asString().contains(id))
				.filter(which)
				.toList(), (list) -> !list.isEmpty())
			.get(0);
	}

	/** Each button as {@code action_id value}. */
	private static List<String> buttons(JsonNode message) {
		List<String> buttons = new ArrayList<>();
		message.path("blocks").forEach((block) -> {
			if (block.path("type").asString().equals("actions")) {
				block.path("elements")
					.forEach((button) -> buttons
						.add(button.path("action_id").asString() + " " + button.path("value").asString()));
			}
		});
		return buttons;
	}

	private static List<String> fields(JsonNode message) {
		List<String> fields = new ArrayList<>();
		message.path("blocks")
			.forEach((block) -> block.path("fields").forEach((field) -> fields.add(field.path("text").asString())));
		return fields;
	}

}
