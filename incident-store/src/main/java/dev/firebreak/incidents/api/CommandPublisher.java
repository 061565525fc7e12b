package dev.firebreak.incidents.api;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.IncidentCommand;

/**
 * Writes an operator's command to {@code firebreak.incident-commands}, keyed by incident
 * id, and returns once the broker has it: the topology, the only writer of incidents,
 * applies it.
 */
@Component
public class CommandPublisher {

	private final KafkaTemplate<byte[], byte[]> kafka;

	CommandPublisher(KafkaTemplate<byte[], byte[]> kafka) {
		this.kafka = kafka;
	}

	void publish(IncidentCommand command) {
		String topic = Topics.INCIDENT_COMMANDS.name();
		byte[] key = Topics.INCIDENT_COMMANDS.keySerde().serializer().serialize(topic, command.getIncidentId());
		byte[] value = Topics.INCIDENT_COMMANDS.valueSerde().serializer().serialize(topic, command);
		try {
			this.kafka.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new CommandNotStoredException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CommandNotStoredException(ex);
		}
	}

	/** Kafka did not acknowledge the command: a 503, and the caller may try again. */
	public static class CommandNotStoredException extends RuntimeException {

		CommandNotStoredException(Exception cause) {
			super("The command could not be stored in Kafka: " + cause.getMessage(), cause);
		}

	}

}
