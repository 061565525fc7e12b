package dev.firebreak.incidents.correlation;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.streams.processor.StreamPartitioner;

import dev.firebreak.incidents.incident.IncidentId;
import dev.firebreak.schemas.avro.CommandType;
import dev.firebreak.schemas.avro.IncidentCommand;

/**
 * Sends a command to the task that holds its incident: the incident id names the
 * partition that opened it ({@link IncidentId}). Maintenance window commands concern
 * every incident, so every partition gets them. An id that is not ours goes where the
 * default partitioner puts it, and is refused there as unknown.
 */
final class CommandPartitioner implements StreamPartitioner<String, IncidentCommand> {

	@Override
	public Optional<Set<Integer>> partitions(String topic, String key, IncidentCommand command, int partitions) {
		if (command != null && isMaintenance(command.getType())) {
			return Optional.of(IntStream.range(0, partitions).boxed().collect(Collectors.toSet()));
		}
		OptionalInt partition = IncidentId.partitionOf((command != null) ? command.getIncidentId() : key, partitions);
		return partition.isPresent() ? Optional.of(Set.of(partition.getAsInt())) : Optional.empty();
	}

	static boolean isMaintenance(CommandType type) {
		return type == CommandType.ADD_MAINTENANCE_WINDOW || type == CommandType.REMOVE_MAINTENANCE_WINDOW;
	}

}
