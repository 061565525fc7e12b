package dev.firebreak.notifier.integration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.firebreak.notifier.delivery.Dispatcher;
import dev.firebreak.notifier.route.Origin;
import dev.firebreak.schemas.avro.Actor;
import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.CommandType;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.RemediationDecision;

/**
 * Clicks on the buttons of Firebreak's Slack messages (the Slack app's interactivity
 * Request URL), their signature checked by Spring Security before they get here. A click
 * by a Slack user mapped to an operator or an admin ({@link SlackUsers}) becomes the
 * command it asks for, by that person, with the id {@code slack:<trigger id>}, through
 * the outbox; the incident's first message then shows who did it, as every change does.
 * Anyone else is told why not, privately, and nothing happens. Slack wants a 200 within
 * three seconds whatever the outcome: the answer goes to the click's {@code response_url}
 * as an ephemeral message, and is the response's body too.
 */
@RestController
class SlackActions {

	static final String PATH = "/api/v1/integrations/slack";

	private static final Logger log = LoggerFactory.getLogger(SlackActions.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient CLIENT = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final InboundCommands commands;

	private final SlackUsers users;

	private final Dispatcher dispatcher;

	private final Clock clock;

	private final MeterRegistry meters;

	SlackActions(InboundCommands commands, SlackUsers users, Dispatcher dispatcher, Clock clock, MeterRegistry meters) {
		this.commands = commands;
		this.users = users;
		this.dispatcher = dispatcher;
		this.clock = clock;
		this.meters = meters;
	}

	@PostMapping(PATH)
	ResponseEntity<Object> receive(@RequestAttribute(RawBody.ATTRIBUTE) byte[] body) {
		Optional<SlackClick> read = SlackClick.read(body);
		if (read.isEmpty()) {
			count("ignored");
			return ResponseEntity.ok().build();
		}
		SlackClick click = read.get();
		Optional<SlackUsers.User> user = this.users.find(click.slackUser());
		if (user.isEmpty()) {
			count("unmapped-user");
			return answer(click, "Firebreak does not know your Slack user (" + click.slackUser() + "), so it did not "
					+ click.asked() + ". An admin maps Slack users to people in " + "firebreak.notifier.slack.users.");
		}
		if (!user.get().acts()) {
			count("forbidden");
			return answer(click, user.get().name() + " is a " + user.get().role() + " in Firebreak: to " + click.asked()
					+ " needs the operator role. Nothing was done.");
		}
		Instant now = this.clock.instant();
		IncidentCommand.Builder command = IncidentCommand.newBuilder()
			.setCommandId(Origin.SLACK.commandId(click.triggerId()))
			.setIncidentId(click.incidentId())
			.setType(click.type())
			.setActor(new Actor(ActorKind.OPERATOR, user.get().name()))
			.setIssuedAt(now);
		if (click.type() == CommandType.APPROVE_REMEDIATION || click.type() == CommandType.REJECT_REMEDIATION) {
			command.setDecision(new RemediationDecision(click.remediationId(), null));
		}
		if (!this.commands.accept(Origin.SLACK, click.triggerId(), command.build(), now)) {
			count("replayed");
			return answer(click, "This click was received already: nothing more was done.");
		}
		this.dispatcher.wake();
		count("accepted");
		log.atInfo()
			.setMessage("Slack user acted on an incident")
			.addKeyValue("incidentId", click.incidentId())
			.addKeyValue("command", click.type())
			.addKeyValue("actor", user.get().name())
			.log();
		return answer(click, "Firebreak will " + click.asked() + " for " + user.get().name()
				+ "; the incident's message shows it once done.");
	}

	/**
	 * The clicking user's private answer: to the click's response_url, and as the body.
	 */
	private ResponseEntity<Object> answer(SlackClick click, String text) {
		ObjectNode message = JSON.createObjectNode()
			.put("response_type", "ephemeral")
			.put("replace_original", false)
			.put("text", text);
		if (click.responseUrl() != null) {
			respond(click.responseUrl(), message.toString());
		}
		return ResponseEntity.ok(message);
	}

	private static void respond(URI url, String body) {
		HttpRequest request = HttpRequest.newBuilder(url)
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json; charset=utf-8")
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build();
		CLIENT.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
			if (failure != null || response.statusCode() / 100 != 2) {
				log.atWarn()
					.setMessage("Could not answer a Slack click privately")
					.addKeyValue("status", (response != null) ? response.statusCode() : 0)
					.addKeyValue("error", (failure != null) ? failure.getClass().getSimpleName() : null)
					.log();
			}
		});
	}

	private void count(String result) {
		this.meters.counter("firebreak.integrations.received", "integration", "slack", "result", result).increment();
	}

}
