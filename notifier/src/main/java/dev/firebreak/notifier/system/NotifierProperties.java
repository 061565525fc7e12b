package dev.firebreak.notifier.system;

import java.net.URI;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.firebreak.notifier.channel.PagerDutySender;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.Severity;

/**
 * notifier's settings ({@code firebreak.notifier.*}). A channel is on when its
 * destination is given; secrets come inline (from the environment) or from a file. Links
 * in messages are {@link PublicUrlProperties}'; what PagerDuty's webhooks and Slack's
 * clicks need is {@link IntegrationProperties}'.
 *
 * @param groupId the consumer group on {@code firebreak.incident-events}
 * @param threads messages sent at once on each channel
 * @param maxBackoff the longest wait between retries of an event while PostgreSQL fails
 * @param retry how often and how patiently a message is sent again
 * @param claimLease how long a sender's claim on a message holds: longer than the longest
 * send (a peer takes over a message whose claim ran out, so a crashed instance's messages
 * wait this long)
 * @param routes which events go where; empty, the defaults of seeds 002 and 003
 * @param fallbacks the channel to try when one fails for good (e.g. PAGERDUTY: EMAIL)
 * @param outbox the local outbox
 * @param slack Slack's incoming webhook
 * @param pagerduty PagerDuty's Events API v2
 * @param email email over SMTP ({@code spring.mail.*} for the server)
 * @param webhook a signed JSON webhook
 * @param destinations more places to send to, by name, each on one channel (a PagerDuty
 * service per level, a Slack channel per team, an email list per audience)
 * @param people who schedules and levels name, with their contacts
 * @param schedules on-call schedules, by name
 * @param escalation who is told at each level, and for each severity
 */
@ConfigurationProperties("firebreak.notifier")
public record NotifierProperties(String groupId, int threads, Duration maxBackoff, Retry retry, Duration claimLease,
		List<RouteSpec> routes, Map<Channel, Channel> fallbacks, Outbox outbox, Slack slack, PagerDuty pagerduty,
		Email email, Webhook webhook, Map<String, Destination> destinations, Map<String, PersonSpec> people,
		Map<String, ScheduleSpec> schedules, EscalationSpec escalation) {

	public NotifierProperties {
		groupId = (groupId != null) ? groupId : "firebreak-notifier";
		threads = (threads != 0) ? threads : 1;
		maxBackoff = (maxBackoff != null) ? maxBackoff : Duration.ofSeconds(10);
		retry = (retry != null) ? retry : new Retry(0, null, null);
		claimLease = (claimLease != null) ? claimLease : Duration.ofSeconds(45);
		routes = (routes != null) ? List.copyOf(routes) : List.of();
		fallbacks = (fallbacks != null) ? Map.copyOf(fallbacks) : Map.of();
		outbox = (outbox != null) ? outbox : new Outbox(null, null);
		slack = (slack != null) ? slack : new Slack(null, null, null, null, null, null, null, 0, 0, null);
		pagerduty = (pagerduty != null) ? pagerduty : new PagerDuty(null, null, null, null, 0, 0, null);
		email = (email != null) ? email : new Email(null, null, null, 0, 0);
		webhook = (webhook != null) ? webhook : new Webhook(null, null, null, null, 0, 0, null);
		destinations = (destinations != null) ? Map.copyOf(destinations) : Map.of();
		people = (people != null) ? Map.copyOf(people) : Map.of();
		schedules = (schedules != null) ? Map.copyOf(schedules) : Map.of();
		escalation = (escalation != null) ? escalation : new EscalationSpec(null, null);
		if (threads < 1) {
			throw new IllegalArgumentException("firebreak.notifier.threads must be at least 1");
		}
		if (claimLease.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("firebreak.notifier.claim-lease must be at least 1s");
		}
	}

	/**
	 * @param maxAttempts sends of one message at most
	 * @param initialBackoff the wait after the first failure, doubling
	 * @param maxBackoff the longest wait
	 */
	public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

		public Retry {
			maxAttempts = (maxAttempts != 0) ? maxAttempts : 6;
			initialBackoff = (initialBackoff != null) ? initialBackoff : Duration.ofSeconds(1);
			maxBackoff = (maxBackoff != null) ? maxBackoff : Duration.ofMinutes(1);
			if (maxAttempts < 1) {
				throw new IllegalArgumentException("firebreak.notifier.retry.max-attempts must be at least 1");
			}
		}

	}

	/** A route as configured; see {@code route.Route}. */
	public record RouteSpec(String name, Set<IncidentEventType> events, Set<Severity> severities,
			Map<String, String> labels, Set<EscalationLevel> escalationLevels, List<Channel> channels,
			boolean duringMaintenance, boolean whileFlapping) {

	}

	/**
	 * @param file where messages are appended, one JSON line each
	 * @param standIn whether a route's channel that is not configured goes here instead
	 * (off by default: then naming a channel that is not configured stops startup)
	 */
	public record Outbox(Path file, Boolean standIn) {

		public Outbox {
			file = (file != null) ? file : Path.of(".firebreak", "notifier", "outbox.jsonl");
			standIn = (standIn != null) ? standIn : Boolean.FALSE;
		}

	}

	/**
	 * Slack by incoming webhook, or by bot token (one thread per incident, the first
	 * message kept up to date).
	 *
	 * @param webhookUrl the incoming webhook (a secret)
	 * @param webhookUrlFile or in a file
	 * @param botToken a bot token ({@code xoxb-…}, a secret) with {@code chat:write}
	 * @param botTokenFile or in a file
	 * @param channel the channel's id, with a bot token
	 * @param apiUrl Slack's Web API
	 * @param name the destination's name in the timeline
	 * @param ratePerSecond messages a second (Slack: about one per channel)
	 * @param burst messages at once
	 * @param timeout for one call
	 */
	public record Slack(String webhookUrl, Path webhookUrlFile, String botToken, Path botTokenFile, String channel,
			URI apiUrl, String name, double ratePerSecond, int burst, Duration timeout) {

		public Slack {
			apiUrl = (apiUrl != null) ? apiUrl : URI.create("https://slack.com/api");
			name = (name != null) ? name : "slack";
			ratePerSecond = (ratePerSecond != 0) ? ratePerSecond : 1;
			burst = (burst != 0) ? burst : 1;
			timeout = (timeout != null) ? timeout : Duration.ofSeconds(10);
		}

	}

	public record PagerDuty(URI eventsUrl, String routingKey, Path routingKeyFile, String name, double ratePerSecond,
			int burst, Duration timeout) {

		public PagerDuty {
			eventsUrl = (eventsUrl != null) ? eventsUrl : URI.create(PagerDutySender.EVENTS_URL);
			name = (name != null) ? name : "pagerduty";
			// About 120 events a minute per routing key.
			ratePerSecond = (ratePerSecond != 0) ? ratePerSecond : 2;
			burst = (burst != 0) ? burst : 2;
			timeout = (timeout != null) ? timeout : Duration.ofSeconds(10);
		}

	}

	public record Email(String from, List<String> to, String domain, double ratePerSecond, int burst) {

		public Email {
			from = (from != null) ? from : "firebreak@localhost";
			to = (to != null) ? List.copyOf(to) : List.of();
			domain = (domain != null) ? domain : "firebreak.local";
			ratePerSecond = (ratePerSecond != 0) ? ratePerSecond : 5;
			burst = (burst != 0) ? burst : 5;
		}

	}

	public record Webhook(URI url, String secret, Path secretFile, String name, double ratePerSecond, int burst,
			Duration timeout) {

		public Webhook {
			name = (name != null) ? name : "webhook";
			ratePerSecond = (ratePerSecond != 0) ? ratePerSecond : 10;
			burst = (burst != 0) ? burst : 10;
			timeout = (timeout != null) ? timeout : Duration.ofSeconds(10);
		}

	}

	/**
	 * A named destination: exactly one channel's settings, as that channel's own (a Slack
	 * destination with a channel id and no token of its own uses
	 * {@code slack.bot-token}).
	 */
	public record Destination(Slack slack, PagerDuty pagerduty, Email email, Webhook webhook) {

	}

	/**
	 * How to reach someone.
	 *
	 * @param email an address
	 * @param slack a Slack user id ({@code U…}), mentioned in Slack messages
	 * @param pagerduty the name of a destination that pages them
	 */
	public record PersonSpec(String email, String slack, String pagerduty) {

	}

	/**
	 * @param zone where handoffs and hours are reckoned (default UTC)
	 * @param layers the lowest first; a higher layer that covers a moment wins
	 * @param overrides someone on call instead, from one local time until another
	 */
	public record ScheduleSpec(ZoneId zone, List<LayerSpec> layers, List<OverrideSpec> overrides) {

		public ScheduleSpec {
			zone = (zone != null) ? zone : ZoneId.of("UTC");
			layers = (layers != null) ? List.copyOf(layers) : List.of();
			overrides = (overrides != null) ? List.copyOf(overrides) : List.of();
		}

	}

	/**
	 * @param people who take turns
	 * @param start when the first takes over (local, in the schedule's zone): the
	 * handoff's time of day
	 * @param rotation each turn's length ({@code 7d}, {@code 1d}, {@code 12h})
	 * @param days the days it covers (all when empty)
	 * @param from the time of day its cover starts (with {@code until})
	 * @param until the time of day its cover ends
	 */
	public record LayerSpec(List<String> people, LocalDateTime start, Duration rotation, Set<DayOfWeek> days,
			LocalTime from, LocalTime until) {

	}

	/** Someone on call instead, from one local time until another. */
	public record OverrideSpec(String person, LocalDateTime from, LocalDateTime until) {

	}

	/**
	 * @param levels who is told when the incident reaches each level
	 * @param audiences who hears of an incident of each severity (seed 001's "Notify")
	 */
	public record EscalationSpec(Map<EscalationLevel, List<TargetSpec>> levels,
			Map<Severity, List<TargetSpec>> audiences) {

		public EscalationSpec {
			levels = (levels != null) ? Map.copyOf(levels) : Map.of();
			audiences = (audiences != null) ? Map.copyOf(audiences) : Map.of();
		}

	}

	/**
	 * One of: a destination; whoever a schedule has on call ({@code on-call}); a person;
	 * the last two reached {@code via} the channels given.
	 */
	public record TargetSpec(String destination, String onCall, String person, List<Channel> via) {

	}

}
