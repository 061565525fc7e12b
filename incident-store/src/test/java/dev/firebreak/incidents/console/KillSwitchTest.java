package dev.firebreak.incidents.console;

import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class KillSwitchTest {

	@ParameterizedTest
	@CsvSource({ "http://127.0.0.1:8082, http://127.0.0.1:8082/actuator/remediation",
			"http://127.0.0.1:8082/, http://127.0.0.1:8082/actuator/remediation",
			"https://ops.example.com/engine, https://ops.example.com/engine/actuator/remediation",
			"https://ops.example.com/engine/, https://ops.example.com/engine/actuator/remediation" })
	void theSwitchIsBelowTheEnginesUrlPathIncluded(String engine, String endpoint) {
		assertThat(KillSwitch.endpoint(URI.create(engine))).isEqualTo(URI.create(endpoint));
	}

}
