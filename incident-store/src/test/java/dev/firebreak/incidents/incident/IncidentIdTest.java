package dev.firebreak.incidents.incident;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IncidentIdTest {

	private static final LocalDate DAY = LocalDate.of(2026, 11, 22);

	@Test
	void readsAsTheReportTemplateSays() {
		assertThat(IncidentId.of(DAY, 0, 0, 6)).isEqualTo("INC-20261122-0001");
		assertThat(IncidentId.of(DAY, 0, 5, 6)).isEqualTo("INC-20261122-0006");
		assertThat(IncidentId.of(DAY, 1, 0, 6)).isEqualTo("INC-20261122-0007");
	}

	@Test
	void neverRepeatsAcrossPartitions() {
		Set<String> ids = new HashSet<>();
		for (int partition = 0; partition < 6; partition++) {
			for (int counter = 0; counter < 3000; counter++) {
				assertThat(ids.add(IncidentId.of(DAY, counter, partition, 6))).isTrue();
			}
		}
	}

	@Test
	void growsADigitPastNineThousandNineHundredNinetyNine() {
		assertThat(IncidentId.of(DAY, 2000, 0, 6)).isEqualTo("INC-20261122-12001");
	}

	@Test
	void refusesAPartitionOutOfRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> IncidentId.of(DAY, 0, 6, 6));
	}

}
