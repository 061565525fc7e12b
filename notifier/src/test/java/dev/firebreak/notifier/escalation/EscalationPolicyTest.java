package dev.firebreak.notifier.escalation;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Seed 004's path and seed 001's audiences as a policy: what each stage names, and what
 * it reaches.
 */
class EscalationPolicyTest {

	private static final Schedule PRIMARY = new Schedule("primary", ZoneId.of("UTC"),
			List.of(new Layer(List.of("alice"), LocalDateTime.parse("2026-11-23T09:00"), Duration.ofDays(7), Set.of(),
					null, null)),
			List.of());

	private static final Map<String, Person> PEOPLE = Map.of("alice",
			new Person("alice", "alice@example.com", "U0ALICE", "pd-alice"), "cto",
			new Person("cto", "cto@example.com", null, null));

	private static final Map<String, Channel> DESTINATIONS = Map.of("email", Channel.EMAIL, "slack", Channel.SLACK,
			"pd-alice", Channel.PAGERDUTY, "pd-managers", Channel.PAGERDUTY, "status-page", Channel.WEBHOOK);

	private static final EscalationPolicy SEED_004 = new EscalationPolicy(
			Map.of(EscalationLevel.L1,
					List.of(new Target.ToOnCall("primary", List.of(Channel.PAGERDUTY, Channel.EMAIL))),
					EscalationLevel.L2, List.of(new Target.ToDestination("pd-managers")), EscalationLevel.L3,
					List.of(new Target.ToPerson("cto", List.of(Channel.EMAIL)))),
			Map.of(Severity.SEV1, List.of(new Target.ToDestination("status-page"))), Map.of("primary", PRIMARY), PEOPLE,
			DESTINATIONS);

	@Test
	void anIncidentIsDueItsLevelsSoFarAndItsSeveritysAudience() {
		var incident = Incidents.open("INC-20261130-0001")
			.severity(Severity.SEV1)
			.escalationLevel(EscalationLevel.L2)
			.build();

		assertThat(SEED_004.stages(incident)).containsOnlyKeys("L1", "L2", "SEV1");
		assertThat(SEED_004.stages(Incidents.open("INC-20261130-0002").severity(Severity.SEV3).build()))
			.containsOnlyKeys("L1");
	}

	@Test
	void theOnCallPersonIsReachedThroughTheirContacts() {
		List<Reach> reach = SEED_004.reach("L1",
				new Target.ToOnCall("primary", List.of(Channel.PAGERDUTY, Channel.EMAIL)),
				Instant.parse("2026-11-30T10:00:00Z"));

		assertThat(reach).containsExactly(
				new Reach("L1", "on-call:primary", Channel.PAGERDUTY, "pd-alice", null, "alice"),
				new Reach("L1", "on-call:primary", Channel.EMAIL, "email", "alice@example.com", "alice"));
	}

	@Test
	void whatATargetNamesMustExistAndReachThePerson() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new EscalationPolicy(
					Map.of(EscalationLevel.L1, List.of(new Target.ToOnCall("secondary", List.of(Channel.SLACK))),
							EscalationLevel.L3, List.of(new Target.ToPerson("cto", List.of(Channel.SLACK)))),
					Map.of(Severity.SEV1, List.of(new Target.ToDestination("board"))), Map.of("primary", PRIMARY),
					PEOPLE, DESTINATIONS))
			.withMessageContaining("escalation.levels.L1[0] names schedule 'secondary', which is not configured")
			.withMessageContaining("escalation.levels.L3[0]: cto has no Slack user id (people.cto.slack)")
			.withMessageContaining("escalation.audiences.SEV1[0] names destination 'board', which is not configured");
	}

}
