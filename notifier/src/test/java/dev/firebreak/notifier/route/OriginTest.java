package dev.firebreak.notifier.route;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.firebreak.schemas.avro.Channel;

import static org.assertj.core.api.Assertions.assertThat;

/** No loops: what PagerDuty changed is not told back to PagerDuty, and only that. */
class OriginTest {

	@ParameterizedTest(name = "{0} on {1} as {2}: echoes {3}")
	@CsvSource(nullValues = "null",
			value = { "pagerduty:01ACK, PAGERDUTY, ACKNOWLEDGE, true", "pagerduty:01RES, PAGERDUTY, RESOLVE, true",
					"pagerduty:01ACK, SLACK, ACKNOWLEDGE, false", "pagerduty:01ACK, EMAIL, RESOLVE, false",
					"pagerduty:01ACK, WEBHOOK, ACKNOWLEDGE, false", "pagerduty:01X, PAGERDUTY, TRIGGER, false",
					"pagerduty:01X, PAGERDUTY, UPDATE, false", "slack:T1, PAGERDUTY, ACKNOWLEDGE, false",
					"0b5f7c1e-uuid, PAGERDUTY, ACKNOWLEDGE, false", "null, PAGERDUTY, RESOLVE, false",
					"PAGERDUTY:01ACK, PAGERDUTY, ACKNOWLEDGE, false",
					"my-pagerduty:01, PAGERDUTY, ACKNOWLEDGE, false" })
	void onlyPagerDutysOwnAcknowledgeOrResolveIsNotSentBackToIt(String commandId, Channel channel, Kind kind,
			boolean echoes) {
		assertThat(Origin.echoes(commandId, channel, kind)).isEqualTo(echoes);
	}

	@ParameterizedTest(name = "{0} PagerDuty destination(s): echoes {1}")
	@CsvSource({ "0, true", "1, true", "2, false", "3, false" })
	void anIncidentPagedOnSeveralPagerDutyDestinationsTellsThemAll(long destinations, boolean echoes) {
		assertThat(Origin.echoes("pagerduty:01ACK", Channel.PAGERDUTY, Kind.ACKNOWLEDGE, destinations))
			.isEqualTo(echoes);
		assertThat(Origin.echoes("0b5f7c1e-uuid", Channel.PAGERDUTY, Kind.ACKNOWLEDGE, destinations)).isFalse();
	}

	@ParameterizedTest
	@CsvSource({ "PAGERDUTY, 01ACK, pagerduty:01ACK", "SLACK, 1234.5678.abc, slack:1234.5678.abc" })
	void aCommandsIdNamesTheIntegrationItCameFrom(Origin origin, String unique, String commandId) {
		assertThat(origin.commandId(unique)).isEqualTo(commandId);
		assertThat(origin.made(commandId)).isTrue();
	}

}
