package dev.firebreak.notifier.integration;

import java.time.Clock;
import java.time.Instant;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

import dev.firebreak.notifier.delivery.DeliveryStore;
import dev.firebreak.notifier.delivery.Dispatcher;
import dev.firebreak.notifier.route.Origin;
import dev.firebreak.schemas.avro.Actor;
import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.IncidentCommand;

/**
 * PagerDuty's v3 webhooks, their signature checked by Spring Security before they get
 * here: a PagerDuty user's {@code incident.acknowledged} or {@code incident.resolved} of
 * an incident Firebreak paged becomes an ACKNOWLEDGE or RESOLVE command by that user,
 * with the id {@code pagerduty:<event id>}, through the outbox. Answers: 202 accepted;
 * 202 ignored for other events and for changes PagerDuty made itself (a 4xx would count
 * against the subscription); 400 malformed; 404 for an incident Firebreak did not page;
 * 409 for an event older than thirty minutes (or a minute ahead) and for one taken
 * already.
 */
@RestController
class PagerDutyWebhook {

	static final String PATH = "/api/v1/integrations/pagerduty";

	private static final Logger log = LoggerFactory.getLogger(PagerDutyWebhook.class);

	private final InboundCommands commands;

	private final DeliveryStore deliveries;

	private final Dispatcher dispatcher;

	private final Clock clock;

	private final MeterRegistry meters;

	PagerDutyWebhook(InboundCommands commands, DeliveryStore deliveries, Dispatcher dispatcher, Clock clock,
			MeterRegistry meters) {
		this.commands = commands;
		this.deliveries = deliveries;
		this.dispatcher = dispatcher;
		this.clock = clock;
		this.meters = meters;
	}

	@PostMapping(PATH)
	ResponseEntity<Object> receive(@RequestAttribute(RawBody.ATTRIBUTE) byte[] body) {
		Instant now = this.clock.instant();
		PagerDutyChange.Reading reading = PagerDutyChange.read(body, now);
		if (reading instanceof PagerDutyChange.Ignored ignored) {
			count("ignored");
			return Answers.ignored(ignored.why());
		}
		if (reading instanceof PagerDutyChange.Refused refused) {
			count(refused.type());
			return Answers.problem(refused.status(), refused.type(), refused.title(), refused.detail());
		}
		return act(((PagerDutyChange.Act) reading).change(), now);
	}

	private ResponseEntity<Object> act(PagerDutyChange change, Instant now) {
		if (change.incidentKey().isEmpty() || !this.deliveries.triggeredOn(change.incidentKey(), Channel.PAGERDUTY)) {
			count("unknown-incident");
			return Answers.problem(404, "unknown-incident", "Unknown incident",
					"Firebreak paged no incident with this PagerDuty incident's key: it is not Firebreak's");
		}
		IncidentCommand command = IncidentCommand.newBuilder()
			.setCommandId(Origin.PAGERDUTY.commandId(change.eventId()))
			.setIncidentId(change.incidentKey())
			.setType(change.type())
			.setActor(new Actor(ActorKind.OPERATOR, change.actor()))
			.setIssuedAt(now)
			.build();
		if (!this.commands.accept(Origin.PAGERDUTY, change.eventId(), command, now)) {
			count("replayed");
			return Answers.problem(409, "replayed", "Replayed event",
					"This event was taken already; it changes nothing again");
		}
		this.dispatcher.wake();
		count("accepted");
		log.atInfo()
			.setMessage("PagerDuty changed an incident")
			.addKeyValue("incidentId", command.getIncidentId())
			.addKeyValue("command", command.getType())
			.addKeyValue("commandId", command.getCommandId())
			.log();
		return Answers.accepted(command.getCommandId(), command.getIncidentId(), command.getType().name());
	}

	private void count(String result) {
		this.meters.counter("firebreak.integrations.received", "integration", "pagerduty", "result", result)
			.increment();
	}

}
