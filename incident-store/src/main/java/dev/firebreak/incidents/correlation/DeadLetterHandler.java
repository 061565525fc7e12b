package dev.firebreak.incidents.correlation;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.firebreak.incidents.incident.RejectedInputException;
import dev.firebreak.schemas.DeadLetter;
import dev.firebreak.schemas.Topic;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.UndecodableRecordException;

/**
 * Sends what the topology cannot use to the source topic's dead-letter topic, with the
 * raw bytes and the reason in headers, and goes on: an undecodable record, a command that
 * cannot apply, a record a processor failed on. No record stops a stream thread, and none
 * is dropped without a trace. Records read from the topology's repartition topics are
 * dead-lettered to the topic they first came from.
 */
public class DeadLetterHandler implements ProcessingExceptionHandler {

	private static final Logger LOGGER = LoggerFactory.getLogger(DeadLetterHandler.class);

	@Override
	public void configure(Map<String, ?> configs) {
	}

	@Override
	public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
		return Response.resume(deadLetters(context, exception));
	}

	private static List<ProducerRecord<byte[], byte[]>> deadLetters(ErrorHandlerContext context, Exception exception) {
		String reason = reasonOf(exception);
		if (context.topic() == null) {
			// A punctuation failed: there is no record to keep; the next one retries.
			LOGGER.atError()
				.setCause(exception)
				.addKeyValue("processor", context.processorNodeId())
				.addKeyValue("reason", reason)
				.log("Incident review failed");
			return List.of();
		}
		String deadLetterTopic = deadLetterTopicOf(context.topic());
		Metrics.counter("firebreak.records.dead-lettered", "topic", context.topic(), "reason", reason).increment();
		LOGGER.atWarn()
			.addKeyValue("topic", context.topic())
			.addKeyValue("partition", context.partition())
			.addKeyValue("offset", context.offset())
			.addKeyValue("deadLetterTopic", deadLetterTopic)
			.addKeyValue("reason", reason)
			.addKeyValue("error", exception.getMessage())
			.log("Record sent to dead-letter topic");
		DeadLetter letter = new DeadLetter(context.topic(), context.partition(), context.offset(), reason,
				String.valueOf(exception.getMessage()), exception.getClass().getName());
		return List
			.of(letter.toRecord(deadLetterTopic, context.sourceRawKey(), context.sourceRawValue(), context.headers()));
	}

	static String reasonOf(Exception exception) {
		if (exception instanceof UndecodableRecordException undecodable) {
			return undecodable.reason().name();
		}
		if (exception instanceof RejectedInputException rejected) {
			return rejected.reason();
		}
		return "PROCESSING_FAILED";
	}

	static String deadLetterTopicOf(String topic) {
		if (topic.endsWith(IncidentTopology.ALERTS_BY_KEY + "-repartition")) {
			return Topics.ALERTS.deadLetter().name();
		}
		if (topic.endsWith(IncidentTopology.COMMANDS_BY_INCIDENT + "-repartition")) {
			return Topics.INCIDENT_COMMANDS.deadLetter().name();
		}
		return topic + Topic.DEAD_LETTER_SUFFIX;
	}

}
