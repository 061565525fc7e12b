package dev.firebreak.remediation.system;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;

import dev.firebreak.remediation.engine.LatestIncidents;
import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.UndecodableRecordException;
import dev.firebreak.schemas.avro.Incident;

/**
 * Reads {@code firebreak.incidents} from its beginning into {@link LatestIncidents} and
 * follows it, on a thread of its own: every partition, no consumer group (each instance
 * reads all of it), committed records only. Started before the events' listener, so that
 * the engine knows the incidents before it acts on their events.
 */
class LatestIncidentsReader implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(LatestIncidentsReader.class);

	private static final AvroCodec<Incident> INCIDENTS = AvroCodec.of(Incident.class);

	private final KafkaProperties kafka;

	private final LatestIncidents latest;

	private volatile KafkaConsumer<byte[], byte[]> consumer;

	private volatile Thread thread;

	LatestIncidentsReader(KafkaProperties kafka, LatestIncidents latest) {
		this.kafka = kafka;
		this.latest = latest;
	}

	@Override
	public void start() {
		Map<String, Object> config = new HashMap<>(this.kafka.buildConsumerProperties());
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, "remediation-engine-latest-incidents");
		this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
		this.thread = new Thread(this::read, "latest-incidents");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void read() {
		try (KafkaConsumer<byte[], byte[]> reader = this.consumer) {
			List<TopicPartition> partitions = reader.partitionsFor(Topics.INCIDENTS.name(), Duration.ofMinutes(5))
				.stream()
				.map((partition) -> new TopicPartition(partition.topic(), partition.partition()))
				.toList();
			reader.assign(partitions);
			reader.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
			long polls = 0;
			while (this.thread != null) {
				for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(500))) {
					accept(record);
				}
				if (!this.latest.isCaughtUp() && ends.entrySet()
					.stream()
					.allMatch((end) -> reader.position(end.getKey()) >= end.getValue())) {
					this.latest.caughtUp();
					log.atInfo().setMessage("Incidents read").addKeyValue("incidents", this.latest.size()).log();
				}
				if (++polls % 1000 == 0) {
					this.latest.forgetOld();
				}
			}
		}
		catch (WakeupException ex) {
			// Stopping.
		}
		catch (RuntimeException ex) {
			log.atError().setMessage("Reading firebreak.incidents stopped").setCause(ex).log();
		}
	}

	private void accept(ConsumerRecord<byte[], byte[]> record) {
		if (record.value() == null) {
			return;
		}
		try {
			this.latest.accept(INCIDENTS.decode(record.value()));
		}
		catch (UndecodableRecordException ex) {
			// The projection dead-letters it; here it only cannot refine a guardrail.
			log.atWarn()
				.setMessage("An incident record could not be decoded")
				.addKeyValue("offset", record.offset())
				.addKeyValue("reason", ex.reason())
				.log();
		}
	}

	@Override
	public void stop() {
		Thread reading = this.thread;
		this.thread = null;
		if (reading != null) {
			this.consumer.wakeup();
			try {
				reading.join(Duration.ofSeconds(10).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	/** Before the listener containers (phase {@code Integer.MAX_VALUE - 100}). */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 200;
	}

}
