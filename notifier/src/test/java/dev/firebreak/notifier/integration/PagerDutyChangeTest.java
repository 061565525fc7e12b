package dev.firebreak.notifier.integration;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.firebreak.schemas.avro.CommandType;

import static org.assertj.core.api.Assertions.assertThat;

/** What a PagerDuty v3 webhook asks of Firebreak. */
class PagerDutyChangeTest {

	private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

	@Test
	void aUsersAcknowledgementOrResolutionIsAChangeByThatUser() {
		assertThat(read("incident.acknowledged", NOW.minusSeconds(30), agent("user_reference", "Paula Pager", "P1")))
			.isEqualTo(new PagerDutyChange.Act(new PagerDutyChange("01EVT", CommandType.ACKNOWLEDGE,
					"INC-20261124-0001", "Paula Pager (PagerDuty)", NOW.minusSeconds(30))));
		assertThat(read("incident.resolved", NOW, agent("user_reference", "", "PLH1HKV")))
			.isEqualTo(new PagerDutyChange.Act(new PagerDutyChange("01EVT", CommandType.RESOLVE, "INC-20261124-0001",
					"PLH1HKV (PagerDuty)", NOW)));
	}

	@Test
	void otherEventsAndChangesPagerDutyMadeItselfAreIgnored() {
		assertThat(read("incident.triggered", NOW, agent("user_reference", "Paula", "P1")))
			.isInstanceOf(PagerDutyChange.Ignored.class);
		assertThat(read("incident.annotated", NOW, agent("user_reference", "Paula", "P1")))
			.isInstanceOf(PagerDutyChange.Ignored.class);
		assertThat(read("incident.resolved", NOW, agent("service_reference", "api", "PSVC")))
			.isEqualTo(new PagerDutyChange.Ignored("not done by a PagerDuty user"));
		assertThat(read("incident.resolved", NOW, "null")).isInstanceOf(PagerDutyChange.Ignored.class);
	}

	@Test
	void anEventOlderThanFiveMinutesOrAMinuteAheadIsStale() {
		String paula = agent("user_reference", "Paula", "P1");
		assertThat(read("incident.acknowledged", NOW.minusSeconds(1800), paula))
			.isInstanceOf(PagerDutyChange.Act.class);
		assertThat(read("incident.acknowledged", NOW.minusSeconds(1801), paula))
			.isInstanceOfSatisfying(PagerDutyChange.Refused.class, (refused) -> {
				assertThat(refused.status()).isEqualTo(409);
				assertThat(refused.type()).isEqualTo("stale");
			});
		assertThat(read("incident.acknowledged", NOW.plusSeconds(60), paula)).isInstanceOf(PagerDutyChange.Act.class);
		assertThat(read("incident.acknowledged", NOW.plusSeconds(61), paula))
			.isInstanceOf(PagerDutyChange.Refused.class);
	}

	@Test
	void aBodyThatIsNotAWebhookIsMalformed() {
		assertThat(PagerDutyChange.read("not json".getBytes(StandardCharsets.UTF_8), NOW)).isInstanceOfSatisfying(
				PagerDutyChange.Refused.class, (refused) -> assertThat(refused.status()).isEqualTo(400));
		assertThat(PagerDutyChange.read("{\"messages\":[]}".getBytes(StandardCharsets.UTF_8), NOW))
			.isInstanceOf(PagerDutyChange.Refused.class);
		assertThat(PagerDutyChange.read(("{\"event\":{\"event_type\":\"incident.acknowledged\",\"id\":\"01\","
				+ "\"agent\":{\"type\":\"user_reference\"},\"occurred_at\":\"yesterday\"}}")
			.getBytes(StandardCharsets.UTF_8), NOW)).isInstanceOf(PagerDutyChange.Refused.class);
	}

	@Test
	void theActorIsPagerDutysNameForTheUserOnOneLineAndBounded() {
		assertThat(read("incident.resolved", NOW, agent("user_reference", " Paula\n  Pager ", "P1")))
			.isInstanceOfSatisfying(PagerDutyChange.Act.class,
					(act) -> assertThat(act.change().actor()).isEqualTo("Paula Pager (PagerDuty)"));
		assertThat(read("incident.resolved", NOW, agent("user_reference", "p".repeat(500), "P1")))
			.isInstanceOfSatisfying(PagerDutyChange.Act.class,
					(act) -> assertThat(act.change().actor()).hasSize(150 + " (PagerDuty)".length()));
	}

	private static PagerDutyChange.Reading read(String type, Instant occurredAt, String agent) {
		String body = """
				{"event":{"id":"01EVT","event_type":"%s","resource_type":"incident","occurred_at":"%s",
				"agent":%s,"data":{"id":"PGR0VU2","type":"incident","incident_key":"INC-20261124-0001"}}}"""
			.formatted(type, occurredAt, agent);
		return PagerDutyChange.read(body.getBytes(StandardCharsets.UTF_8), NOW);
	}

	private static String agent(String type, String summary, String id) {
		return "{\"type\":\"%s\",\"summary\":\"%s\",\"id\":\"%s\"}".formatted(type, summary.replace("\n", "\\n"), id);
	}

}
