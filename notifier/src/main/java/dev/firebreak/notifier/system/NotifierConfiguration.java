package dev.firebreak.notifier.system;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.mail.javamail.JavaMailSender;

import dev.firebreak.notifier.channel.EmailSender;
import dev.firebreak.notifier.channel.OutboxSender;
import dev.firebreak.notifier.channel.PagerDutySender;
import dev.firebreak.notifier.channel.Sender;
import dev.firebreak.notifier.channel.SlackBotSender;
import dev.firebreak.notifier.channel.SlackSender;
import dev.firebreak.notifier.channel.WebhookSender;
import dev.firebreak.notifier.delivery.Backoff;
import dev.firebreak.notifier.delivery.DeliveryStore;
import dev.firebreak.notifier.delivery.Dispatcher;
import dev.firebreak.notifier.delivery.Intake;
import dev.firebreak.notifier.delivery.RateLimiter;
import dev.firebreak.notifier.delivery.Redactor;
import dev.firebreak.notifier.route.Route;
import dev.firebreak.platform.CommandOutbox;
import dev.firebreak.platform.RawRecords;
import dev.firebreak.platform.Secret;
import dev.firebreak.schemas.avro.Channel;

/**
 * Wires the notifier: the channels that are configured (each with its rate limit), the
 * routes, the delivery store, the sender threads and the consumer of
 * {@code firebreak.incident-events}.
 */
@Configuration(proxyBeanMethods = false)
class NotifierConfiguration {

	static final String CONTAINER_FACTORY = "notifierContainerFactory";

	private static final Logger log = LoggerFactory.getLogger(NotifierConfiguration.class);

	/** The configured channels, their rate limits and every secret they hold. */
	record Channels(Map<Channel, Sender> senders, Map<Channel, RateLimiter> limits, List<Secret> secrets) {
	}

	@Bean
	Channels channels(NotifierProperties properties, ObjectProvider<JavaMailSender> mail,
			ObjectProvider<MailProperties> mailProperties) {
		Map<Channel, Sender> senders = new EnumMap<>(Channel.class);
		Map<Channel, RateLimiter> limits = new EnumMap<>(Channel.class);
		List<Secret> secrets = new ArrayList<>();
		NotifierProperties.Slack slack = properties.slack();
		Optional<Secret> slackBot = Secret.resolve("firebreak.notifier.slack.bot-token", slack.botToken(),
				slack.botTokenFile());
		Optional<Secret> slackUrl = Secret.resolve("firebreak.notifier.slack.webhook-url", slack.webhookUrl(),
				slack.webhookUrlFile());
		if (slackBot.isPresent()) {
			if (slack.channel() == null || slack.channel().isBlank()) {
				throw new IllegalStateException(
						"firebreak.notifier.slack.bot-token needs firebreak.notifier.slack.channel");
			}
			secrets.add(slackBot.get());
			senders.put(Channel.SLACK,
					new SlackBotSender(slack.apiUrl(), slackBot.get(), slack.channel(), slack.timeout()));
		}
		else {
			slackUrl.ifPresent((url) -> {
				secrets.add(url);
				senders.put(Channel.SLACK, new SlackSender(url, slack.name(), slack.timeout()));
			});
		}
		if (senders.containsKey(Channel.SLACK)) {
			limits.put(Channel.SLACK, new RateLimiter(slack.ratePerSecond(), slack.burst()));
		}
		NotifierProperties.PagerDuty pagerduty = properties.pagerduty();
		Secret.resolve("firebreak.notifier.pagerduty.routing-key", pagerduty.routingKey(), pagerduty.routingKeyFile())
			.ifPresent((key) -> {
				secrets.add(key);
				senders.put(Channel.PAGERDUTY,
						new PagerDutySender(pagerduty.eventsUrl(), key, pagerduty.name(), pagerduty.timeout()));
				limits.put(Channel.PAGERDUTY, new RateLimiter(pagerduty.ratePerSecond(), pagerduty.burst()));
			});
		NotifierProperties.Email email = properties.email();
		JavaMailSender mailSender = mail.getIfAvailable();
		if (!email.to().isEmpty() && mailSender != null) {
			senders.put(Channel.EMAIL, new EmailSender(mailSender, email.from(), email.to(), email.domain()));
			limits.put(Channel.EMAIL, new RateLimiter(email.ratePerSecond(), email.burst()));
			MailProperties smtp = mailProperties.getIfAvailable();
			if (smtp != null && smtp.getPassword() != null) {
				secrets.add(Secret.of(smtp.getPassword()));
			}
		}
		else if (!email.to().isEmpty()) {
			throw new IllegalStateException("firebreak.notifier.email.to is set but spring.mail.host is not");
		}
		NotifierProperties.Webhook webhook = properties.webhook();
		if (webhook.url() != null) {
			Secret secret = Secret.resolve("firebreak.notifier.webhook.secret", webhook.secret(), webhook.secretFile())
				.orElseThrow(() -> new IllegalStateException(
						"firebreak.notifier.webhook.url is set without a secret (secret or secret-file)"));
			secrets.add(secret);
			senders.put(Channel.WEBHOOK,
					new WebhookSender(webhook.url(), secret, webhook.name(), webhook.timeout(), Clock.systemUTC()));
			limits.put(Channel.WEBHOOK, new RateLimiter(webhook.ratePerSecond(), webhook.burst()));
		}
		senders.put(Channel.OUTBOX, new OutboxSender(properties.outbox().file()));
		if (senders.size() == 1 && properties.outbox().standIn()) {
			log.atWarn()
				.setMessage("No notification channel is configured (Slack, PagerDuty, email, webhook): every message "
						+ "goes to the local outbox (firebreak.notifier.outbox.stand-in=true)")
				.addKeyValue("file", properties.outbox().file().toAbsolutePath())
				.log();
		}
		return new Channels(senders, limits, secrets);
	}

	/**
	 * The routes, checked against the channels: a message for a channel that is not
	 * configured would be lost quietly, so naming one is a startup error, unless the
	 * local outbox stands in for missing channels (the local run).
	 */
	@Bean
	List<Route> routes(NotifierProperties properties, Channels channels) {
		List<Route> routes = properties.routes().isEmpty() ? Route.defaults()
				: properties.routes()
					.stream()
					.map((spec) -> new Route(spec.name(), orEmpty(spec.events()), orEmpty(spec.severities()),
							(spec.labels() != null) ? spec.labels() : Map.of(), orEmpty(spec.escalationLevels()),
							(spec.channels() != null) ? spec.channels() : List.of(), spec.duringMaintenance(),
							spec.whileFlapping()))
					.toList();
		if (!properties.outbox().standIn()) {
			requireConfigured(properties, channels.senders().keySet());
		}
		return routes;
	}

	private static void requireConfigured(NotifierProperties properties, Set<Channel> configured) {
		String remedy = ": configure it (firebreak.notifier.<channel>.*), or set "
				+ "firebreak.notifier.outbox.stand-in=true to write its messages to the local outbox";
		if (configured.equals(Set.of(Channel.OUTBOX))) {
			throw new IllegalStateException("No notification channel is configured (Slack, PagerDuty, email, "
					+ "webhook): configure one (firebreak.notifier.<channel>.*), or set "
					+ "firebreak.notifier.outbox.stand-in=true to write every message to the local outbox");
		}
		for (int i = 0; i < properties.routes().size(); i++) {
			NotifierProperties.RouteSpec route = properties.routes().get(i);
			for (Channel channel : (route.channels() != null) ? route.channels() : List.<Channel>of()) {
				if (!configured.contains(channel)) {
					throw new IllegalStateException("firebreak.notifier.routes[" + i + "] (" + route.name() + ") names "
							+ channel + ", which is not configured" + remedy);
				}
			}
		}
		properties.fallbacks().forEach((from, to) -> {
			if (!configured.contains(to)) {
				throw new IllegalStateException(
						"firebreak.notifier.fallbacks." + from + " names " + to + ", which is not configured" + remedy);
			}
		});
	}

	private static <T> Set<T> orEmpty(Set<T> set) {
		return (set != null) ? set : Set.of();
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
	DeliveryStore deliveryStore(DataSource dataSource, CommandOutbox outbox) {
		return new DeliveryStore(dataSource, outbox);
	}

	@Bean
	Intake intake(List<Route> routes, Channels channels, NotifierProperties properties, DeliveryStore store) {
		// Only Slack with a bot token edits a message in place.
		Set<Channel> updatable = (channels.senders().get(Channel.SLACK) instanceof SlackBotSender)
				? Set.of(Channel.SLACK) : Set.of();
		return new Intake(routes, channels.senders().keySet(), updatable, properties.outbox().standIn(), store,
				Clock.systemUTC());
	}

	@Bean
	Dispatcher dispatcher(DeliveryStore store, Channels channels, CommandOutbox outbox,
			KafkaTemplate<byte[], byte[]> kafka, NotifierProperties properties, MeterRegistry meters) {
		NotifierProperties.Retry retry = properties.retry();
		return new Dispatcher(store, channels.senders(), channels.limits(), outbox, kafka,
				new Redactor(channels.secrets()),
				new Dispatcher.Settings(retry.maxAttempts(), new Backoff(retry.initialBackoff(), retry.maxBackoff()),
						properties.fallbacks(), properties.apiBaseUrl(), properties.threads()),
				Clock.systemUTC(), meters);
	}

	@Bean(CONTAINER_FACTORY)
	ConcurrentKafkaListenerContainerFactory<byte[], byte[]> notifierContainerFactory(KafkaProperties kafka,
			NotifierProperties properties, KafkaTemplate<byte[], byte[]> kafkaTemplate, MeterRegistry meters) {
		// One event at a time, retried until PostgreSQL is back: nothing is skipped.
		return RawRecords.listenerFactory(kafka, properties.groupId(), 200, properties.maxBackoff(), false,
				kafkaTemplate, meters);
	}

}
