package dev.firebreak.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.Record;

/**
 * How many records were written to the broker, topic by topic, between two moments.
 * <ul>
 * <li>{@code offsets <bootstrap> <file>}: writes the end offset of every partition of
 * every topic but the broker's internal ones ({@code __consumer_offsets},
 * {@code __transaction_state}) to the file, a line each: topic, partition, offset.</li>
 * <li>{@code count <log dir> <before> <after> <deliveries>}: counts, in the broker's log
 * directory, the records of each partition between the offsets of the two files, and
 * prints them per topic and in all, each also per delivery.</li>
 * </ul>
 * Offsets alone overcount: a transaction's commit marker takes an offset on every
 * partition it wrote to. Reading the records back with a consumer undercounts: Kafka
 * Streams deletes the records of its repartition topics once they are consumed. So the
 * segments are read where the broker keeps them, and only the batches' headers: every
 * record batch but the markers' counts, aborted ones too (they were written). Should a
 * segment be gone already, the count says so.
 */
public final class TopicRecords {

	private TopicRecords() {
	}

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "offsets" -> offsets(args[1], Path.of(args[2]));
			case "count" ->
				count(Path.of(args[1]), read(Path.of(args[2])), read(Path.of(args[3])), Long.parseLong(args[4]));
			default -> throw new IllegalArgumentException("offsets or count");
		}
	}

	private static void offsets(String bootstrap, Path file) throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
			Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(false)).names().get();
			Map<TopicPartition, OffsetSpec> latest = new TreeMap<>(
					Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition));
			for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
				if (!topic.name().startsWith("__")) {
					topic.partitions()
						.forEach((info) -> latest.put(new TopicPartition(topic.name(), info.partition()),
								OffsetSpec.latest()));
				}
			}
			Map<TopicPartition, Long> ends = new TreeMap<>(
					Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition));
			admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
			Files.writeString(file,
					ends.entrySet()
						.stream()
						.map((end) -> end.getKey().topic() + " " + end.getKey().partition() + " " + end.getValue())
						.collect(Collectors.joining("\n", "", "\n")));
		}
	}

	private static Map<TopicPartition, Long> read(Path file) throws IOException {
		Map<TopicPartition, Long> offsets = new TreeMap<>(
				Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition));
		for (String line : Files.readAllLines(file)) {
			String[] fields = line.trim().split(" ");
			if (fields.length == 3) {
				offsets.put(new TopicPartition(fields[0], Integer.parseInt(fields[1])), Long.parseLong(fields[2]));
			}
		}
		return offsets;
	}

	/** What one topic took between the snapshots. */
	private static final class Tally {

		long records;

		long offsets;

		boolean incomplete;

	}

	private static void count(Path logDir, Map<TopicPartition, Long> before, Map<TopicPartition, Long> after,
			long deliveries) throws IOException {
		Map<String, Tally> topics = new TreeMap<>();
		for (Map.Entry<TopicPartition, Long> end : after.entrySet()) {
			TopicPartition partition = end.getKey();
			// A topic created in between started from nothing.
			long from = before.getOrDefault(partition, 0L);
			long to = end.getValue();
			Tally tally = topics.computeIfAbsent(partition.topic(), (topic) -> new Tally());
			tally.offsets += to - from;
			if (to > from) {
				long lowest = count(logDir.resolve(partition.topic() + "-" + partition.partition()), from, to, tally);
				tally.incomplete |= lowest > from;
			}
		}
		List<Map.Entry<String, Tally>> sorted = new ArrayList<>(topics.entrySet());
		sorted.removeIf((topic) -> topic.getValue().offsets == 0);
		sorted.sort(Comparator.comparingLong((Map.Entry<String, Tally> topic) -> topic.getValue().records).reversed());
		long records = 0;
		long offsets = 0;
		boolean incomplete = false;
		for (Map.Entry<String, Tally> topic : sorted) {
			Tally tally = topic.getValue();
			records += tally.records;
			offsets += tally.offsets;
			incomplete |= tally.incomplete;
			System.out.printf("topic %s: %.2f records per delivery (%d records, %d offsets)%s%n", topic.getKey(),
					(double) tally.records / deliveries, tally.records, tally.offsets,
					tally.incomplete ? " (at least: segments already deleted)" : "");
		}
		System.out.printf("records per delivery: %.2f (%d records, %d offsets, %d deliveries)%s%n",
				(double) records / deliveries, records, offsets, deliveries,
				incomplete ? " (at least: segments already deleted)" : "");
	}

	/**
	 * Adds the records of offsets {@code [from, to)} in one partition's directory to the
	 * tally; returns the lowest offset found there (above {@code from} when the segments
	 * that held the first ones are gone).
	 */
	private static long count(Path directory, long from, long to, Tally tally) throws IOException {
		File[] segments = directory.toFile().listFiles((dir, name) -> name.endsWith(".log"));
		if (segments == null) {
			return Long.MAX_VALUE;
		}
		Arrays.sort(segments);
		long lowest = Long.MAX_VALUE;
		for (File segment : segments) {
			try (FileRecords records = FileRecords.open(segment, false)) {
				for (FileChannelRecordBatch batch : records.batches()) {
					lowest = Math.min(lowest, batch.baseOffset());
					if (batch.isControlBatch() || batch.lastOffset() < from || batch.baseOffset() >= to) {
						continue;
					}
					if (batch.baseOffset() >= from && batch.lastOffset() < to && batch.countOrNull() != null) {
						tally.records += batch.countOrNull();
					}
					else {
						// Straddles a snapshot (not expected: a snapshot is taken between
						// batches), or an old format without a count: record by record.
						for (Record record : batch) {
							if (record.offset() >= from && record.offset() < to) {
								tally.records++;
							}
						}
					}
				}
			}
		}
		return lowest;
	}

}
