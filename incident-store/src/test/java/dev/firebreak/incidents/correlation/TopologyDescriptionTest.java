package dev.firebreak.incidents.correlation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A changed topology is a reviewed change: names of operators, stores and internal topics
 * are state, and renaming one silently loses it. When this fails, read the difference,
 * and if it is intended, copy the written file over the checked-in one.
 */
class TopologyDescriptionTest {

	private static final Path CHECKED_IN = Path.of("src/test/resources/topology.txt");

	@Test
	void topologyIsTheReviewedOne() throws IOException {
		String current = new IncidentTopology(IncidentTopology.Settings.defaults(6)).build().describe().toString();
		String reviewed = Files.exists(CHECKED_IN) ? Files.readString(CHECKED_IN, StandardCharsets.UTF_8) : "";
		if (!current.equals(reviewed)) {
			Path written = Path.of("target/topology.txt");
			Files.writeString(written, current, StandardCharsets.UTF_8);
			assertThat(current)
				.as("topology differs from %s; if intended, copy %s there", CHECKED_IN, written.toAbsolutePath())
				.isEqualTo(reviewed);
		}
	}

}
