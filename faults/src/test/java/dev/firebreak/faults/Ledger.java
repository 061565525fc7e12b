package dev.firebreak.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.firebreak.local.LocalInfrastructure;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.testkit.ChannelStandIn;
import dev.firebreak.testkit.KafkaRecords;

/**
 * What the pipeline did, read from where a user would look: the incidents and events on
 * the topics (read_committed, to their ends), the projection and the services' own tables
 * in PostgreSQL, and what PagerDuty, Slack, the mail server and the runbook target
 * received.
 */
record Ledger(Map<String, Incident> incidents, List<IncidentEvent> events, Map<String, Projected> projected,
		long projectedEvents, List<Delivery> deliveries, Map<String, Integer> attemptsByStatus,
		List<ChannelStandIn.Received> pagedRequests, List<ChannelStandIn.Received> slack, List<String> mails,
		List<ChannelStandIn.Received> runs) {

	private static final Duration READ = Duration.ofMinutes(1);

	/** The projection's row of an incident. */
	record Projected(long version, String status) {
	}

	/**
	 * A message the notifier has recorded: PENDING, SENDING; SENT, FAILED, SUPPRESSED,
	 * COALESCED.
	 */
	record Delivery(String incidentId, String channel, String kind, String status) {
	}

	static Ledger read(LocalInfrastructure infrastructure, Channels channels) throws Exception {
		Map<String, Incident> incidents = new HashMap<>();
		for (ConsumerRecord<String, Incident> record : KafkaRecords.readAll(infrastructure.broker(), Topics.INCIDENTS,
				READ)) {
			if (record.value() != null) {
				incidents.put(record.key(), record.value());
			}
		}
		List<IncidentEvent> events = KafkaRecords.readAll(infrastructure.broker(), Topics.INCIDENT_EVENTS, READ)
			.stream()
			.map(ConsumerRecord::value)
			.toList();
		Map<String, Projected> projected = new HashMap<>();
		long projectedEvents;
		List<Delivery> deliveries = new ArrayList<>();
		Map<String, Integer> attempts = new HashMap<>();
		try (Connection connection = DriverManager.getConnection(infrastructure.jdbcUrl(), "firebreak", "firebreak");
				Statement statement = connection.createStatement()) {
			try (ResultSet rows = statement.executeQuery("SELECT id, version, status FROM public.incident")) {
				while (rows.next()) {
					projected.put(rows.getString(1), new Projected(rows.getLong(2), rows.getString(3)));
				}
			}
			try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM public.incident_event")) {
				rows.next();
				projectedEvents = rows.getLong(1);
			}
			try (ResultSet rows = statement
				.executeQuery("SELECT incident_id, channel, kind, status FROM notifier.delivery ORDER BY id")) {
				while (rows.next()) {
					deliveries
						.add(new Delivery(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)));
				}
			}
			try (ResultSet rows = statement
				.executeQuery("SELECT status, count(*) FROM remediation.attempt GROUP BY status")) {
				while (rows.next()) {
					attempts.put(rows.getString(1), rows.getInt(2));
				}
			}
		}
		return new Ledger(incidents, events, projected, projectedEvents, deliveries, attempts,
				channels.pagerDuty().received(), channels.slack().received(), channels.mails(),
				channels.target().received());
	}

	/**
	 * Every incident as firebreak.incidents encodes it, to compare two readings (Avro's
	 * generated equals cannot compare its timestamps).
	 */
	Map<String, String> encodedIncidents() {
		Base64.Encoder base64 = Base64.getEncoder();
		return this.incidents.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> base64.encodeToString(
					Topics.INCIDENTS.valueSerde().serializer().serialize(Topics.INCIDENTS.name(), entry.getValue()))));
	}

	/** The incidents of the storm, by their service (correlation group). */
	Map<String, List<Incident>> stormIncidents() {
		return this.incidents.values()
			.stream()
			.filter((incident) -> incident.getCorrelationLabels().getOrDefault("service", "").startsWith("storm-"))
			.collect(Collectors.groupingBy((incident) -> incident.getCorrelationLabels().get("service")));
	}

	/** The notifier's deliveries, counted by status. */
	Map<String, Long> deliveryStatuses() {
		return countBy(this.deliveries, Delivery::status);
	}

	/**
	 * What the notifier recorded as sent on a channel, counted by (incident id, kind).
	 */
	Map<String, Long> sent(String channel) {
		return countBy(this.deliveries.stream()
			.filter((delivery) -> delivery.channel().equals(channel) && delivery.status().equals("SENT"))
			.toList(), (delivery) -> delivery.incidentId() + " " + delivery.kind().toLowerCase(Locale.ROOT));
	}

	/** What PagerDuty received, counted by (dedup_key, event_action). */
	Map<String, Long> paged() {
		return countBy(this.pagedRequests, (request) -> request.body().path("dedup_key").asString() + " "
				+ request.body().path("event_action").asString());
	}

	/** The runbook target's runs, by incident. */
	Map<String, Long> runsByIncident() {
		return countBy(this.runs, (request) -> request.path().substring(request.path().lastIndexOf('/') + 1));
	}

	static <T> Map<String, Long> countBy(List<T> items, Function<T, String> key) {
		return items.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
	}

	/** Where the suite's channel stand-ins are. */
	interface Channels {

		ChannelStandIn pagerDuty();

		ChannelStandIn slack();

		ChannelStandIn target();

		/** Every mail received, as its subject and text. */
		List<String> mails() throws Exception;

	}

}
