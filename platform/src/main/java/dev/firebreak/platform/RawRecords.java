package dev.firebreak.platform;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.dao.DataAccessException;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.DeadLetter;
import dev.firebreak.schemas.UndecodableRecordException;
import dev.firebreak.schemas.Topic;

/**
 * Kafka plumbing for consumers that decode records themselves: raw bytes in and out (so
 * that an undecodable record is dead-lettered rather than retried), committed records
 * only, a retry that never gives up while a dependency (PostgreSQL) fails, and the
 * dead-letter write every such consumer shares.
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
	 * new group, committing after the listener returns, and retrying a failed record (or
	 * batch) with exponential backoff up to {@code maxBackoff}, forever: skipping it
	 * would lose it.
	 */
	public static ConcurrentKafkaListenerContainerFactory<byte[], byte[]> listenerFactory(KafkaProperties kafka,
			String groupId, int maxPollRecords, Duration maxBackoff, boolean batch) {
		Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
		consumer.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
		consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
		ConcurrentKafkaListenerContainerFactory<byte[], byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
		factory.setConsumerFactory(
				new DefaultKafkaConsumerFactory<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
		factory.setBatchListener(batch);
		ExponentialBackOff backOff = new ExponentialBackOff(200, 2);
		backOff.setMaxInterval(maxBackoff.toMillis());
		backOff.setMaxElapsedTime(Long.MAX_VALUE);
		factory.setCommonErrorHandler(new DefaultErrorHandler(backOff));
		return factory;
	}

	/**
	 * Decodes a record and hands it over, so that nothing is lost and nothing loops: an
	 * undecodable record, or one its handler fails on with anything but a database error,
	 * goes to the dead-letter topic with the reason (it would fail again on every retry);
	 * a database error is logged and rethrown, so that the container retries the record
	 * with backoff until the database is back.
	 */
	public static <T extends SpecificRecord> void process(KafkaTemplate<byte[], byte[]> kafka,
			ConsumerRecord<byte[], byte[]> record, AvroCodec<T> codec, Consumer<T> handler) {
		Optional<T> decoded = decode(kafka, record, codec);
		if (decoded.isEmpty()) {
			return;
		}
		String key = (record.key() != null) ? new String(record.key(), StandardCharsets.UTF_8) : null;
		try {
			handler.accept(decoded.get());
		}
		catch (DataAccessException ex) {
			log.atWarn()
				.setMessage("The database failed; the record is retried with backoff")
				.addKeyValue("topic", record.topic())
				.addKeyValue("key", key)
				.addKeyValue("offset", record.offset())
				.addKeyValue("error", ex.getMostSpecificCause().toString())
				.log();
			throw ex;
		}
		catch (RuntimeException ex) {
			log.atError()
				.setMessage("Record could not be handled; sent to the dead-letter topic")
				.addKeyValue("topic", record.topic())
				.addKeyValue("key", key)
				.addKeyValue("offset", record.offset())
				.setCause(ex)
				.log();
			deadLetter(kafka, record, "PROCESSING_FAILED", ex);
		}
	}

	/**
	 * Decodes a record, or dead-letters it when it cannot be decoded (it never will be).
	 * @return the value, or empty for a tombstone or a dead letter
	 */
	public static <T extends SpecificRecord> Optional<T> decode(KafkaTemplate<byte[], byte[]> kafka,
			ConsumerRecord<byte[], byte[]> record, AvroCodec<T> codec) {
		if (record.value() == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(codec.decode(record.value()));
		}
		catch (UndecodableRecordException ex) {
			deadLetter(kafka, record, ex.reason().name(), ex);
			return Optional.empty();
		}
	}

	/**
	 * Writes a record that can never be processed to its topic's dead-letter topic, the
	 * error in its headers, and waits for the broker, so that the source offset is
	 * committed only after the dead letter is safe.
	 * @throws IllegalStateException when the broker does not take it (the container
	 * retries)
	 */
	public static void deadLetter(KafkaTemplate<byte[], byte[]> kafka, ConsumerRecord<byte[], byte[]> record,
			String reason, Exception cause) {
		String key = (record.key() != null) ? new String(record.key(), StandardCharsets.UTF_8) : null;
		log.atWarn()
			.setMessage("Record sent to the dead-letter topic")
			.addKeyValue("topic", record.topic())
			.addKeyValue("partition", record.partition())
			.addKeyValue("offset", record.offset())
			.addKeyValue("key", key)
			.addKeyValue("reason", reason)
			.log();
		DeadLetter letter = new DeadLetter(record.topic(), record.partition(), record.offset(), reason,
				cause.getMessage(), cause.getClass().getName());
		String topic = record.topic() + Topic.DEAD_LETTER_SUFFIX;
		try {
			kafka.send(letter.toRecord(topic, record.key(), record.value(), record.headers()))
				.get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not write to " + topic, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted writing to " + topic, ex);
		}
	}

}
