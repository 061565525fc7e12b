package dev.firebreak.platform;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.DeadLetter;
import dev.firebreak.schemas.Topic;

/**
 * Kafka plumbing for consumers that decode records themselves: raw bytes in and out (so
 * that an undecodable record is dead-lettered rather than retried), committed records
 * only, and spring-kafka's error handler: a failure worth retrying ({@link Failures},
 * thrown as a {@code TransientFailureException}) is retried with backoff for as long as
 * it lasts, anything else goes to the topic's {@code .dlt} with its reason in the
 * headers, and the partition moves on.
 */
public final class RawRecords {

	private static final Logger log = LoggerFactory.getLogger(RawRecords.class);

	private RawRecords() {
	}

	/** Acknowledged by every in-sync replica, idempotent. */
	public static KafkaTemplate<byte[], byte[]> template(KafkaProperties kafka) {
		Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
		producer.put(ProducerConfig.ACKS_CONFIG, "all");
		producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		return new KafkaTemplate<>(
				new DefaultKafkaProducerFactory<>(producer, new ByteArraySerializer(), new ByteArraySerializer()));
	}

	/**
	 * Listener containers reading {@code read_committed} from the earliest offset of a
	 * new group, committing after the listener returns, with {@link #errorHandler} and
	 * the consumers' metrics. A batch listener names the record that failed with
	 * {@code BatchListenerFailedException}, so that the records before it count as done.
	 */
	public static ConcurrentKafkaListenerContainerFactory<byte[], byte[]> listenerFactory(KafkaProperties kafka,
			String groupId, int maxPollRecords, Duration maxBackoff, boolean batch,
			KafkaTemplate<byte[], byte[]> deadLetters, MeterRegistry meters) {
		Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
		consumer.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
		consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
		ConcurrentKafkaListenerContainerFactory<byte[], byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
		DefaultKafkaConsumerFactory<byte[], byte[]> consumers = new DefaultKafkaConsumerFactory<>(consumer,
				new ByteArrayDeserializer(), new ByteArrayDeserializer());
		// The client's metrics, lag among them
		// (kafka_consumer_fetch_manager_records_lag_max).
		consumers.addListener(new MicrometerConsumerListener<>(meters));
		factory.setConsumerFactory(consumers);
		factory.setBatchListener(batch);
		factory.setCommonErrorHandler(errorHandler(deadLetters, maxBackoff, meters));
		return factory;
	}

	/**
	 * Retries a {@link Failures#transientFailure transient} failure with exponential
	 * backoff up to {@code maxBackoff}, forever (skipping the record would lose it);
	 * sends every other failed record to {@code <topic>.dlt}, raw, with the
	 * {@link DeadLetter} headers, counted in
	 * {@code firebreak.records.dead-lettered{topic,reason}}, then goes on.
	 */
	public static DefaultErrorHandler errorHandler(KafkaTemplate<byte[], byte[]> deadLetters, Duration maxBackoff,
			MeterRegistry meters) {
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(deadLetters,
				(record, failure) -> new TopicPartition(record.topic() + Topic.DEAD_LETTER_SUFFIX, -1));
		recoverer.setHeadersFunction((record, failure) -> {
			String reason = Failures.reason(failure);
			Throwable root = Failures.rootOf(failure);
			log.atWarn()
				.setMessage("Record sent to the dead-letter topic")
				.addKeyValue("topic", record.topic())
				.addKeyValue("partition", record.partition())
				.addKeyValue("offset", record.offset())
				.addKeyValue("key", keyOf(record))
				.addKeyValue("reason", reason)
				.addKeyValue("error", root.toString())
				.log();
			meters.counter("firebreak.records.dead-lettered", "topic", record.topic(), "reason", reason).increment();
			return new DeadLetter(record.topic(), record.partition(), record.offset(), reason, root.getMessage(),
					root.getClass().getName())
				.headers();
		});
		recoverer.setFailIfSendResultIsError(true);
		recoverer.setWaitForSendResultTimeout(Duration.ofSeconds(30));
		ExponentialBackOff backOff = new ExponentialBackOff(200, 2);
		backOff.setMaxInterval(maxBackoff.toMillis());
		backOff.setMaxElapsedTime(Long.MAX_VALUE);
		DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
		handler.setClassifications(Map.of(Failures.TransientFailureException.class, true), false);
		return handler;
	}

	/**
	 * Decodes a record and hands it over; a tombstone is skipped. An undecodable record
	 * throws, and the error handler dead-letters it; a transient failure of the handler
	 * is logged, then retried by the error handler.
	 */
	public static <T extends SpecificRecord> void process(ConsumerRecord<byte[], byte[]> record, AvroCodec<T> codec,
			Consumer<T> handler) {
		if (record.value() == null) {
			return;
		}
		T value = codec.decode(record.value());
		try {
			handler.accept(value);
		}
		catch (RuntimeException ex) {
			RuntimeException classified = Failures.classified(ex);
			if (classified instanceof Failures.TransientFailureException) {
				log.atWarn()
					.setMessage("The database failed; the record is retried with backoff")
					.addKeyValue("topic", record.topic())
					.addKeyValue("key", keyOf(record))
					.addKeyValue("offset", record.offset())
					.addKeyValue("error", Failures.rootOf(ex).toString())
					.log();
			}
			throw classified;
		}
	}

	private static String keyOf(ConsumerRecord<?, ?> record) {
		return (record.key() instanceof byte[] key) ? new String(key, StandardCharsets.UTF_8) : null;
	}

}
