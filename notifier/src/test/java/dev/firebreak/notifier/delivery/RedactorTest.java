package dev.firebreak.notifier.delivery;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.firebreak.platform.Secret;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {

	@Test
	void everyConfiguredSecretIsMaskedWhereverItAppears() {
		Redactor redactor = new Redactor(List.of(Secret.of("https://hooks.slack.com/services/T0/B0/XYZ"),
				Secret.of("R0UT1NGK3Y"), Secret.of("smtp-password"), Secret.of("hmac-signing-secret")));

		String redacted = redactor.redact("POST https://hooks.slack.com/services/T0/B0/XYZ failed; key R0UT1NGK3Y "
				+ "rejected; 535 auth smtp-password; signature hmac-signing-secret");

		assertThat(redacted).doesNotContain("XYZ", "R0UT1NGK3Y", "smtp-password", "hmac-signing-secret")
			.contains("****");
		assertThat(redactor.redact(null)).isNull();
	}

}
