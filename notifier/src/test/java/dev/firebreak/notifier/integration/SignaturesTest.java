package dev.firebreak.notifier.integration;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.firebreak.platform.Secret;

import static org.assertj.core.api.Assertions.assertThat;

/** PagerDuty's and Slack's signatures, as each documents them. */
class SignaturesTest {

	private static final byte[] BODY = "{\"event\":{\"id\":\"01\"}}".getBytes(StandardCharsets.UTF_8);

	private static final Secret CURRENT = Secret.of("current");

	private static final Secret NEXT = Secret.of("next");

	private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

	@Test
	void pagerDutysV1SignatureOverTheBodyWithOneOfTheSecrets() {
		String current = "v1=" + Signatures.hmac(CURRENT, BODY);
		String next = "v1=" + Signatures.hmac(NEXT, BODY);

		assertThat(Signatures.pagerDuty(List.of(CURRENT), current, BODY)).isTrue();
		assertThat(Signatures.pagerDuty(List.of(CURRENT, NEXT), next, BODY)).as("our second secret").isTrue();
		assertThat(Signatures.pagerDuty(List.of(NEXT), current + ", " + next, BODY)).as("theirs, several").isTrue();
		assertThat(Signatures.pagerDuty(List.of(CURRENT), current.toUpperCase().replace("V1=", "v1="), BODY))
			.as("hex in capitals")
			.isTrue();
	}

	@Test
	void pagerDutyRefusesAnyOtherSignature() {
		String current = "v1=" + Signatures.hmac(CURRENT, BODY);

		assertThat(Signatures.pagerDuty(List.of(NEXT), current, BODY)).as("another secret").isFalse();
		assertThat(Signatures.pagerDuty(List.of(CURRENT), current, "{}".getBytes(StandardCharsets.UTF_8)))
			.as("another body")
			.isFalse();
		assertThat(Signatures.pagerDuty(List.of(CURRENT), current.replace("v1=", "v2="), BODY)).as("version").isFalse();
		assertThat(Signatures.pagerDuty(List.of(CURRENT), current.substring(0, 40), BODY)).as("truncated").isFalse();
		assertThat(Signatures.pagerDuty(List.of(), current, BODY)).as("no secret configured").isFalse();
		assertThat(Signatures.pagerDuty(List.of(CURRENT), null, BODY)).isFalse();
		assertThat(Signatures.pagerDuty(List.of(CURRENT), "v1=0,".repeat(20) + current, BODY)).as("too many").isFalse();
	}

	@Test
	void slacksV0SignatureOverTheTimestampAndTheBodyWithinFiveMinutes() {
		String at = Long.toString(NOW.getEpochSecond());
		String signature = "v0=" + Signatures.hmac(CURRENT, ("v0:" + at + ":").getBytes(StandardCharsets.UTF_8), BODY);

		assertThat(Signatures.slack(CURRENT, at, signature, BODY, NOW)).isTrue();
		assertThat(Signatures.slack(CURRENT, at, signature, BODY, NOW.plusSeconds(300))).as("5 minutes on").isTrue();
		assertThat(Signatures.slack(CURRENT, at, signature, BODY, NOW.plusSeconds(301))).as("too old").isFalse();
		assertThat(Signatures.slack(CURRENT, at, signature, BODY, NOW.minusSeconds(301))).as("too far ahead").isFalse();
		assertThat(Signatures.slack(NEXT, at, signature, BODY, NOW)).as("another secret").isFalse();
		assertThat(Signatures.slack(CURRENT, Long.toString(NOW.getEpochSecond() + 1), signature, BODY, NOW))
			.as("another timestamp")
			.isFalse();
		assertThat(Signatures.slack(CURRENT, at, signature, "x".getBytes(StandardCharsets.UTF_8), NOW))
			.as("another body")
			.isFalse();
		assertThat(Signatures.slack(CURRENT, "1e9", signature, BODY, NOW)).as("not a number").isFalse();
		assertThat(Signatures.slack(CURRENT, null, signature, BODY, NOW)).isFalse();
		assertThat(Signatures.slack(null, at, signature, BODY, NOW)).as("no secret configured").isFalse();
	}

}
