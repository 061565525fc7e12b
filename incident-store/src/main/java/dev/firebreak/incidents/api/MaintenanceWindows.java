package dev.firebreak.incidents.api;

import java.util.List;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;

import dev.firebreak.incidents.correlation.IncidentTopology;
import dev.firebreak.schemas.avro.MaintenanceWindow;

/**
 * The maintenance windows in force: those of configuration, and those added by command as
 * the topology holds them.
 */
public class MaintenanceWindows {

	private final List<MaintenanceWindow> configured;

	private final Supplier<KafkaStreams> streams;

	public MaintenanceWindows(List<MaintenanceWindow> configured, Supplier<KafkaStreams> streams) {
		this.configured = List.copyOf(configured);
		this.streams = streams;
	}

	public List<MaintenanceWindow> configured() {
		return this.configured;
	}

	/**
	 * The windows added by command.
	 * @throws WindowsUnavailableException while the topology cannot answer (starting,
	 * rebalancing)
	 */
	public List<MaintenanceWindow> added() {
		KafkaStreams streams = this.streams.get();
		try {
			if (streams == null) {
				throw new IllegalStateException("Kafka Streams has not started");
			}
			return IncidentTopology.addedWindows(streams);
		}
		catch (RuntimeException ex) {
			throw new WindowsUnavailableException(ex);
		}
	}

	/** The topology's store cannot be read now: a 503. */
	public static class WindowsUnavailableException extends RuntimeException {

		WindowsUnavailableException(Exception cause) {
			super("Maintenance windows cannot be read while the topology starts or rebalances: " + cause.getMessage(),
					cause);
		}

	}

}
