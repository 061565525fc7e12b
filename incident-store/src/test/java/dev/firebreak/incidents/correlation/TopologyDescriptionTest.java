package dev.firebreak.incidents.correlation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A changed topology is a reviewed change: names of operators, stores and internal topics
 * are state, and renaming one silently loses it. When this fails, read the difference,
 * and if it is intended, copy the written file over the checked-in one.
 */
class TopologyDescriptionTest {

	private static final IncidentTopology.Settings DEFAULTS = IncidentTopology.Settings.defaults(6);

	@Test
	void topologyIsTheReviewedOne() throws IOException {
		assertReviewed(describe(DEFAULTS), "topology.txt");
	}

	@Test
	void topologyWithTheJsonMirrorIsTheReviewedOne() throws IOException {
		assertReviewed(describe(DEFAULTS.withJsonMirror(true)), "topology-json-mirror.txt");
	}

	/** Its sinks join a sub-topology: no task changes its number, nor its inputs. */
	@Test
	void theJsonMirrorRenumbersNoSubTopology() {
		assertThat(subTopologiesAndSources(describe(DEFAULTS.withJsonMirror(true))))
			.isEqualTo(subTopologiesAndSources(describe(DEFAULTS)));
	}

	private static String describe(IncidentTopology.Settings settings) {
		return new IncidentTopology(settings).build().describe().toString();
	}

	private static List<String> subTopologiesAndSources(String description) {
		return description.lines()
			.map(String::strip)
			.filter((line) -> line.startsWith("Sub-topology:") || line.startsWith("Source:"))
			.toList();
	}

	private static void assertReviewed(String current, String file) throws IOException {
		Path checkedIn = Path.of("src/test/resources", file);
		String reviewed = Files.exists(checkedIn) ? Files.readString(checkedIn, StandardCharsets.UTF_8) : "";
		if (!current.equals(reviewed)) {
			Path written = Path.of("target", file);
			Files.writeString(written, current, StandardCharsets.UTF_8);
			assertThat(current)
				.as("topology differs from %s; if intended, copy %s there", checkedIn, written.toAbsolutePath())
				.isEqualTo(reviewed);
		}
	}

}
