package dev.firebreak.notifier.integration;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.firebreak.schemas.avro.CommandType;

import static org.assertj.core.api.Assertions.assertThat;

/** What a click on one of Firebreak's Slack buttons asks for. */
class SlackClickTest {

	@Test
	void aClickOnAButtonNamesWhoWhatAndWhichIncident() {
		assertThat(read("firebreak-acknowledge", "INC-20261124-0001"))
			.contains(new SlackClick("U0ALICE", CommandType.ACKNOWLEDGE, "INC-20261124-0001", null, "111.222.abc",
					URI.create("https://hooks.slack.com/actions/T0/1/x")));
		assertThat(read("firebreak-approve", "INC-20261124-0001 rem-7")).hasValueSatisfying((click) -> {
			assertThat(click.type()).isEqualTo(CommandType.APPROVE_REMEDIATION);
			assertThat(click.remediationId()).isEqualTo("rem-7");
			assertThat(click.asked()).isEqualTo("approve remediation rem-7 of INC-20261124-0001");
		});
		assertThat(read("firebreak-reject", "INC-20261124-0001 rem-7")).map(SlackClick::type)
			.contains(CommandType.REJECT_REMEDIATION);
	}

	@Test
	void anythingElseIsNoClickOfFirebreaks() {
		assertThat(read("someone-elses-button", "INC-20261124-0001")).isEmpty();
		assertThat(read("firebreak-resolve", "INC-1; DROP")).isEmpty();
		assertThat(read("firebreak-resolve", "INC-20261124-0001 rem-7")).as("a value of another button").isEmpty();
		assertThat(read("firebreak-approve", "INC-20261124-0001")).as("no remediation").isEmpty();
		assertThat(SlackClick.read("payload=%7B%22type%22%3A%22view_submission%22%7D".getBytes(StandardCharsets.UTF_8)))
			.isEmpty();
		assertThat(SlackClick.read("payload=%7Bnot".getBytes(StandardCharsets.UTF_8))).isEmpty();
		assertThat(SlackClick.read("token=x".getBytes(StandardCharsets.UTF_8))).isEmpty();
	}

	private static Optional<SlackClick> read(String actionId, String value) {
		String payload = """
				{"type":"block_actions","user":{"id":"U0ALICE"},"trigger_id":"111.222.abc",
				"response_url":"https://hooks.slack.com/actions/T0/1/x",
				"actions":[{"action_id":"%s","value":"%s","type":"button","action_ts":"1.2"}]}""".formatted(actionId,
				value);
		return SlackClick
			.read(("payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
	}

}
