package dev.firebreak.notifier.system;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
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
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.mail.javamail.JavaMailSender;

import dev.firebreak.notifier.channel.Sender;
import dev.firebreak.notifier.channel.SlackBotSender;
import dev.firebreak.notifier.delivery.Backoff;
import dev.firebreak.notifier.delivery.DeliveryStore;
import dev.firebreak.notifier.delivery.Dispatcher;
import dev.firebreak.notifier.delivery.Intake;
import dev.firebreak.notifier.delivery.Redactor;
import dev.firebreak.notifier.escalation.EscalationPolicy;
import dev.firebreak.notifier.route.Route;
import dev.firebreak.platform.CommandOutbox;
import dev.firebreak.platform.RawRecords;
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

	/** The notifier's time: when a message is due, and who is on call. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	Destinations destinations(NotifierProperties properties, ObjectProvider<JavaMailSender> mail,
			ObjectProvider<MailProperties> mailProperties) {
		Destinations destinations = Destinations.of(properties, mail.getIfAvailable(), mailProperties.getIfAvailable());
		if (broadcasting(destinations).isEmpty() && properties.outbox().standIn()) {
			log.atWarn()
				.setMessage("No notification channel is configured (Slack, PagerDuty, email, webhook): every message "
						+ "goes to the local outbox (firebreak.notifier.outbox.stand-in=true)")
				.addKeyValue("file", properties.outbox().file().toAbsolutePath())
				.log();
		}
		return destinations;
	}

	/** The channels whose own destination takes a route's message. */
	private static Set<Channel> broadcasting(Destinations destinations) {
		Set<Channel> channels = EnumSet.noneOf(Channel.class);
		for (Channel channel : List.of(Channel.SLACK, Channel.PAGERDUTY, Channel.EMAIL, Channel.WEBHOOK)) {
			Sender sender = destinations.senders().get(Intake.destinationOf(channel));
			if (sender != null && sender.broadcasts()) {
				channels.add(channel);
			}
		}
		return channels;
	}

	/**
	 * Who is told at each level and for each severity, checked against the people,
	 * schedules and destinations it names.
	 */
	@Bean
	EscalationPolicy escalationPolicy(NotifierProperties properties, Destinations destinations) {
		try {
			return EscalationPolicies.of(properties, destinations.declared());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("firebreak.notifier: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The routes, checked against the channels: a message for a channel that is not
	 * configured would be lost quietly, so naming one is a startup error, unless the
	 * local outbox stands in for missing channels (the local run). So is a target whose
	 * destination cannot send. The dead man's switch's route is always added: its
	 * incident reaches every configured channel.
	 */
	@Bean
	List<Route> routes(NotifierProperties properties, Destinations destinations, EscalationPolicy escalation) {
		List<Route> routes = properties.routes().isEmpty() ? Route.defaults(!escalation.isEmpty())
				: properties.routes()
					.stream()
					.map((spec) -> new Route(spec.name(), orEmpty(spec.events()), orEmpty(spec.severities()),
							(spec.labels() != null) ? spec.labels() : Map.of(), orEmpty(spec.escalationLevels()),
							(spec.channels() != null) ? spec.channels() : List.of(), spec.duringMaintenance(),
							spec.whileFlapping()))
					.toList();
		if (!properties.outbox().standIn()) {
			requireConfigured(properties, broadcasting(destinations), destinations, escalation);
		}
		Set<Channel> everyChannel = broadcasting(destinations);
		if (everyChannel.isEmpty()) {
			return routes;
		}
		List<Route> withSilence = new ArrayList<>(routes);
		withSilence.add(Route.pipelineSilent(everyChannel));
		return List.copyOf(withSilence);
	}

	private static void requireConfigured(NotifierProperties properties, Set<Channel> configured,
			Destinations destinations, EscalationPolicy escalation) {
		String remedy = ": configure it (firebreak.notifier.<channel>.*), or set "
				+ "firebreak.notifier.outbox.stand-in=true to write its messages to the local outbox";
		if (configured.isEmpty() && escalation.isEmpty()) {
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
		escalation.destinationsUsed()
			.stream()
			.filter((name) -> !destinations.senders().containsKey(name))
			.findFirst()
			.ifPresent((name) -> {
				throw new IllegalStateException("firebreak.notifier.escalation reaches destination '" + name
						+ "', which cannot send (no routing key, URL, token or mail server)" + remedy);
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
	DeliveryStore deliveryStore(DataSource dataSource, CommandOutbox outbox, NotifierProperties properties) {
		return new DeliveryStore(dataSource, outbox, properties.claimLease());
	}

	@Bean
	Intake intake(List<Route> routes, Destinations destinations, EscalationPolicy escalation,
			NotifierProperties properties, DeliveryStore store, Clock clock) {
		// Only Slack with a bot token edits a message in place.
		Set<Channel> updatable = (destinations.senders()
			.get(Intake.destinationOf(Channel.SLACK)) instanceof SlackBotSender) ? Set.of(Channel.SLACK) : Set.of();
		return new Intake(routes, destinations.senders(), updatable, properties.outbox().standIn(), escalation, store,
				clock);
	}

	/**
	 * The senders, linking to the console under {@code firebreak.public-url}; a setting
	 * that it replaced stops startup, naming it.
	 */
	@Bean
	Dispatcher dispatcher(DeliveryStore store, Destinations destinations, CommandOutbox outbox,
			KafkaTemplate<byte[], byte[]> kafka, NotifierProperties properties, PublicUrlProperties publicUrl,
			Environment environment, MeterRegistry meters, Clock clock) {
		MovedSettings.refuse(environment);
		NotifierProperties.Retry retry = properties.retry();
		return new Dispatcher(store, destinations.senders(), destinations.limits(), outbox, kafka,
				new Redactor(destinations.secrets()),
				new Dispatcher.Settings(retry.maxAttempts(), new Backoff(retry.initialBackoff(), retry.maxBackoff()),
						properties.fallbacks(), publicUrl.base(), properties.threads(),
						properties.claimLease().dividedBy(3)),
				clock, meters);
	}

	@Bean(CONTAINER_FACTORY)
	ConcurrentKafkaListenerContainerFactory<byte[], byte[]> notifierContainerFactory(KafkaProperties kafka,
			NotifierProperties properties, KafkaTemplate<byte[], byte[]> kafkaTemplate, MeterRegistry meters) {
		// One event at a time, retried until PostgreSQL is back: nothing is skipped.
		return RawRecords.listenerFactory(kafka, properties.groupId(), 200, properties.maxBackoff(), false,
				kafkaTemplate, meters);
	}

}
