package dev.firebreak.examples.consumer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.UndecodableRecordException;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;

/**
 * A system downstream of Firebreak, as small as it gets: reads
 * {@code firebreak.incidents} and {@code firebreak.incident-events} with plain
 * kafka-clients and prints one line per record, decoding each value with the
 * {@code schemas} artifact's {@link AvroCodec}, which reads every released version.
 *
 * <p>
 * Arguments: {@code --bootstrap host:port} (default {@code localhost:9092}),
 * {@code --group id}, {@code --max-records N} and {@code --idle-timeout seconds} (stop
 * after N records, or once nothing came for that long; 0, the default, never).
 */
public final class IncidentConsumer {

	private static final AvroCodec<Incident> INCIDENTS = AvroCodec.of(Incident.class);

	private static final AvroCodec<IncidentEvent> EVENTS = AvroCodec.of(IncidentEvent.class);

	private IncidentConsumer() {
	}

	public static void main(String[] args) {
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		Properties config = new Properties();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, options.group());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		// incident-store writes in transactions: read only what it committed.
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(Topics.INCIDENTS.name(), Topics.INCIDENT_EVENTS.name()));
			long printed = 0;
			long lastRecord = System.nanoTime();
			while (printed < options.maxRecords() && !options.idleSince(lastRecord)) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					lastRecord = System.nanoTime();
					if (record.value() != null && printed < options.maxRecords() && print(record)) {
						printed++;
					}
				}
			}
		}
	}

	private static boolean print(ConsumerRecord<String, byte[]> record) {
		try {
			System.out.println(line(record.topic(), record.value()));
			return true;
		}
		catch (UndecodableRecordException ex) {
			System.err.println("skipped " + record.topic() + " offset " + record.offset() + ": " + ex.getMessage());
			return false;
		}
	}

	/** One line per record, the same as the Python example prints. */
	static String line(String topic, byte[] value) {
		if (topic.equals(Topics.INCIDENTS.name())) {
			Incident incident = INCIDENTS.decode(value);
			return "%s %s version=%d status=%s severity=%s title=%s".formatted(topic, incident.getId(),
					incident.getVersion(), incident.getStatus(), incident.getSeverity(), incident.getTitle());
		}
		IncidentEvent event = EVENTS.decode(value);
		return "%s %s sequence=%d type=%s status=%s severity=%s".formatted(topic, event.getIncidentId(),
				event.getSequence(), event.getType(), event.getIncident().getStatus(),
				event.getIncident().getSeverity());
	}

	/** The command line. */
	record Options(String bootstrap, String group, long maxRecords, Duration idleTimeout) {

		private static final String USAGE = "options: --bootstrap host:port --group id --max-records N --idle-timeout seconds";

		static Options parse(String[] args) {
			Map<String, String> given = new HashMap<>(Map.of("--bootstrap", "localhost:9092", "--group",
					"firebreak-example-java", "--max-records", "0", "--idle-timeout", "0"));
			for (int i = 0; i < args.length; i += 2) {
				if (!given.containsKey(args[i]) || i + 1 == args.length) {
					throw new IllegalArgumentException("Cannot read " + args[i] + "; " + USAGE);
				}
				given.put(args[i], args[i + 1]);
			}
			long maxRecords = Long.parseLong(given.get("--max-records"));
			double idleSeconds = Double.parseDouble(given.get("--idle-timeout"));
			return new Options(given.get("--bootstrap"), given.get("--group"),
					(maxRecords > 0) ? maxRecords : Long.MAX_VALUE, Duration.ofMillis((long) (idleSeconds * 1000)));
		}

		boolean idleSince(long nanos) {
			return !this.idleTimeout.isZero() && System.nanoTime() - nanos > this.idleTimeout.toNanos();
		}

	}

}
