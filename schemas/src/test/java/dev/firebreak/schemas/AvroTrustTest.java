package dev.firebreak.schemas;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.firebreak.schemas.avro.AlertSummary;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.Incidents;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests run with {@code org.apache.avro.SERIALIZABLE_PACKAGES} set; a service need not.
 * This runs the codec and a builder's deep copy in a fresh JVM without the property.
 */
class AvroTrustTest {

	@Test
	void decodesAndCopiesGeneratedRecordsWithoutTheSystemProperty() throws Exception {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		Process probe = new ProcessBuilder(
				List.of(java, "-cp", System.getProperty("java.class.path"), AvroTrustTest.class.getName()))
			.redirectErrorStream(true)
			.start();

		assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("trusted");
		assertThat(probe.exitValue()).isZero();
	}

	/**
	 * The probe: fails with Avro's SecurityException unless the generated package is
	 * trusted.
	 */
	public static void main(String[] args) {
		if (System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES") != null) {
			throw new IllegalStateException("the probe must run without the system property");
		}
		AvroCodec<Incident> codec = AvroCodec.of(Incident.class);
		Incident incident = Incidents.open("INC-20261122-0001").alert(Alerts.firing("ServiceDown").build()).build();
		Incident decoded = codec.decode(codec.encode(incident));
		AlertSummary copy = AlertSummary.newBuilder(decoded.getFirstAlerts().get(0)).build();
		System.out.println((copy.getAlertname().equals("ServiceDown")) ? "trusted" : "wrong copy");
	}

}
