package dev.firebreak.schemas;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AlertFingerprintTest {

	// Fingerprints that Alertmanager 0.25 (Debian's prometheus-alertmanager) gave these
	// label sets.

	@Test
	void matchesAlertmanagersFingerprint() {
		assertThat(AlertFingerprint.of(Map.of("alertname", "ServiceDown", "service", "api", "severity", "critical")))
			.isEqualTo("b6d46372a77fe500");
		assertThat(AlertFingerprint
			.of(Map.of("alertname", "DiskSpaceHigh", "instance", "db-1:9100", "mountpoint", "/var/lib/postgresql")))
			.isEqualTo("499df34f355dfa6a");
	}

	@Test
	void hashesLabelValuesAsUtf8() {
		assertThat(AlertFingerprint.of(Map.of("alertname", "Unicode", "team", "café ☕"))).isEqualTo("da9979e740676bab");
	}

	@Test
	void doesNotDependOnLabelOrder() {
		assertThat(AlertFingerprint.of(Map.of("a", "1", "b", "2")))
			.isEqualTo(AlertFingerprint.of(Map.of("b", "2", "a", "1")));
	}

	@Test
	void separatesNamesFromValues() {
		assertThat(AlertFingerprint.of(Map.of("ab", "c"))).isNotEqualTo(AlertFingerprint.of(Map.of("a", "bc")));
	}

}
