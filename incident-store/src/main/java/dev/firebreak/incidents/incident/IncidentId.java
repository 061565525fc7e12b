package dev.firebreak.incidents.incident;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.OptionalInt;

/**
 * Incident ids, {@code INC-YYYYMMDD-NNNN} (seed 004's report template), unique across
 * restarts and instances without coordination: each stream task numbers the incidents it
 * opens per day with its own counter (kept in a state store), and the number interleaves
 * the task's partition, {@code counter * partitions + partition + 1}. Past 9999 a day the
 * number grows a digit.
 */
public final class IncidentId {

	private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

	private IncidentId() {
	}

	/**
	 * @param day the UTC day the incident opened
	 * @param counter how many incidents this partition opened that day before this one
	 * @param partition the partition of the task that opens it
	 * @param partitions how many partitions the correlation topic has
	 */
	public static String of(LocalDate day, long counter, int partition, int partitions) {
		if (partition < 0 || partition >= partitions || counter < 0) {
			throw new IllegalArgumentException("partition " + partition + " of " + partitions + ", counter " + counter);
		}
		return String.format("INC-%s-%04d", DAY.format(day), counter * partitions + partition + 1);
	}

	/**
	 * The partition whose task opened the incident, which holds its state; empty for an
	 * id that is not one of ours.
	 */
	public static OptionalInt partitionOf(String id, int partitions) {
		if (id == null || !id.matches("INC-\\d{8}-\\d{4,18}")) {
			return OptionalInt.empty();
		}
		long number = Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
		return (number < 1) ? OptionalInt.empty() : OptionalInt.of((int) ((number - 1) % partitions));
	}

}
