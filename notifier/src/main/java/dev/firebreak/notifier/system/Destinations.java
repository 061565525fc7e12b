package dev.firebreak.notifier.system;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.mail.javamail.JavaMailSender;

import dev.firebreak.notifier.channel.EmailSender;
import dev.firebreak.notifier.channel.OutboxSender;
import dev.firebreak.notifier.channel.PagerDutySender;
import dev.firebreak.notifier.channel.Sender;
import dev.firebreak.notifier.channel.SlackBotSender;
import dev.firebreak.notifier.channel.SlackSender;
import dev.firebreak.notifier.channel.WebhookSender;
import dev.firebreak.notifier.delivery.Intake;
import dev.firebreak.notifier.delivery.RateLimit;
import dev.firebreak.platform.Secret;
import dev.firebreak.schemas.avro.Channel;

/**
 * The places the notifier sends to, by name: each channel's own ({@code slack},
 * {@code pagerduty}, {@code email}, {@code webhook}, from
 * {@code firebreak.notifier.<channel>}) and those of
 * {@code firebreak.notifier.destinations}, each with its sender, its rate limit
 * (PagerDuty's is per routing key, Slack's per channel) and its secrets. A place whose
 * settings lack what it needs (no routing key, no URL) is declared but has no sender.
 *
 * @param senders the senders, by destination
 * @param limits the rate limits, by destination
 * @param secrets every secret they hold, for redaction
 * @param declared every destination's channel, with a sender or not
 */
record Destinations(Map<String, Sender> senders, Map<String, RateLimit> limits, List<Secret> secrets,
		Map<String, Channel> declared) {

	static Destinations of(NotifierProperties properties, JavaMailSender mail, MailProperties smtp) {
		Builder builder = new Builder(properties, mail);
		builder.slack("slack", "firebreak.notifier.slack", properties.slack());
		builder.pagerduty("pagerduty", "firebreak.notifier.pagerduty", properties.pagerduty());
		builder.email("email", "firebreak.notifier.email", properties.email());
		builder.webhook("webhook", "firebreak.notifier.webhook", properties.webhook());
		properties.destinations().forEach((name, destination) -> builder.named(name, destination));
		if (builder.senders.containsKey(Intake.destinationOf(Channel.EMAIL)) && smtp != null
				&& smtp.getPassword() != null) {
			builder.secrets.add(Secret.of(smtp.getPassword()));
		}
		builder.senders.put("outbox", new OutboxSender(properties.outbox().file()));
		return new Destinations(Map.copyOf(builder.senders), Map.copyOf(builder.limits), List.copyOf(builder.secrets),
				declared(properties));
	}

	/** Every destination's channel: each channel's own, and those named. */
	static Map<String, Channel> declared(NotifierProperties properties) {
		Map<String, Channel> declared = new LinkedHashMap<>();
		for (Channel channel : List.of(Channel.SLACK, Channel.PAGERDUTY, Channel.EMAIL, Channel.WEBHOOK,
				Channel.OUTBOX)) {
			declared.put(Intake.destinationOf(channel), channel);
		}
		properties.destinations().forEach((name, destination) -> {
			if (destination.slack() != null) {
				declared.put(name, Channel.SLACK);
			}
			else if (destination.pagerduty() != null) {
				declared.put(name, Channel.PAGERDUTY);
			}
			else if (destination.email() != null) {
				declared.put(name, Channel.EMAIL);
			}
			else if (destination.webhook() != null) {
				declared.put(name, Channel.WEBHOOK);
			}
		});
		return Map.copyOf(declared);
	}

	private static final class Builder {

		private final NotifierProperties properties;

		private final JavaMailSender mail;

		private final Map<String, Sender> senders = new LinkedHashMap<>();

		private final Map<String, RateLimit> limits = new LinkedHashMap<>();

		private final List<Secret> secrets = new ArrayList<>();

		Builder(NotifierProperties properties, JavaMailSender mail) {
			this.properties = properties;
			this.mail = mail;
		}

		void named(String name, NotifierProperties.Destination destination) {
			String field = "firebreak.notifier.destinations." + name;
			if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
				throw new IllegalStateException(field + ": a destination's name is lower-case letters, digits and '-'");
			}
			if (List.of("slack", "pagerduty", "email", "webhook", "outbox").contains(name)) {
				throw new IllegalStateException(field + ": '" + name + "' is a channel's own destination's name");
			}
			long channels = Stream
				.of(destination.slack(), destination.pagerduty(), destination.email(), destination.webhook())
				.filter(Objects::nonNull)
				.count();
			if (channels != 1) {
				throw new IllegalStateException(field + " needs exactly one of slack, pagerduty, email, webhook");
			}
			if (destination.slack() != null) {
				slack(name, field + ".slack", destination.slack());
			}
			else if (destination.pagerduty() != null) {
				pagerduty(name, field + ".pagerduty", destination.pagerduty());
			}
			else if (destination.email() != null) {
				email(name, field + ".email", destination.email());
			}
			else {
				webhook(name, field + ".webhook", destination.webhook());
			}
		}

		void slack(String name, String field, NotifierProperties.Slack slack) {
			NotifierProperties.Slack shared = this.properties.slack();
			Optional<Secret> bot = Secret.resolve(field + ".bot-token", slack.botToken(), slack.botTokenFile())
				.or(() -> (slack.channel() != null)
						? Secret.resolve("firebreak.notifier.slack.bot-token", shared.botToken(), shared.botTokenFile())
						: Optional.empty());
			Optional<Secret> url = Secret.resolve(field + ".webhook-url", slack.webhookUrl(), slack.webhookUrlFile());
			if (bot.isPresent()) {
				if (slack.channel() == null || slack.channel().isBlank()) {
					throw new IllegalStateException(field + ".bot-token needs " + field + ".channel");
				}
				this.secrets.add(bot.get());
				this.senders.put(name, new SlackBotSender(slack.apiUrl(), bot.get(), slack.channel(), slack.timeout()));
			}
			else if (url.isPresent()) {
				this.secrets.add(url.get());
				this.senders.put(name,
						new SlackSender(url.get(), display(name, slack.name(), "slack"), slack.timeout()));
			}
			else {
				return;
			}
			this.limits.put(name, new RateLimit(slack.ratePerSecond(), slack.burst()));
		}

		void pagerduty(String name, String field, NotifierProperties.PagerDuty pagerduty) {
			Secret.resolve(field + ".routing-key", pagerduty.routingKey(), pagerduty.routingKeyFile())
				.ifPresent((key) -> {
					this.secrets.add(key);
					this.senders.put(name, new PagerDutySender(pagerduty.eventsUrl(), key,
							display(name, pagerduty.name(), "pagerduty"), pagerduty.timeout()));
					this.limits.put(name, new RateLimit(pagerduty.ratePerSecond(), pagerduty.burst()));
				});
		}

		void email(String name, String field, NotifierProperties.Email email) {
			// The email channel itself needs no list of its own: people are written to
			// at their addresses.
			boolean own = name.equals("email");
			if (email.to().isEmpty() && !own) {
				throw new IllegalStateException(field + ".to needs at least one address");
			}
			if (this.mail == null) {
				if (!email.to().isEmpty()) {
					throw new IllegalStateException(field + ".to is set but spring.mail.host is not");
				}
				return;
			}
			this.senders.put(name, new EmailSender(this.mail, email.from(), email.to(), email.domain()));
			this.limits.put(name, new RateLimit(email.ratePerSecond(), email.burst()));
		}

		void webhook(String name, String field, NotifierProperties.Webhook webhook) {
			if (webhook.url() == null) {
				return;
			}
			Secret secret = Secret.resolve(field + ".secret", webhook.secret(), webhook.secretFile())
				.orElseThrow(() -> new IllegalStateException(
						field + ".url is set without a secret (secret or secret-file)"));
			this.secrets.add(secret);
			this.senders.put(name, new WebhookSender(webhook.url(), secret, display(name, webhook.name(), "webhook"),
					webhook.timeout(), Clock.systemUTC()));
			this.limits.put(name, new RateLimit(webhook.ratePerSecond(), webhook.burst()));
		}

		/**
		 * A named destination is called by its name; a channel's own by its settings'.
		 */
		private static String display(String name, String configured, String channel) {
			return name.equals(channel) ? configured : name;
		}

	}

}
