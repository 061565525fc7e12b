package dev.firebreak.notifier.system;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

import dev.firebreak.notifier.escalation.EscalationPolicy;
import dev.firebreak.notifier.escalation.Reach;
import dev.firebreak.notifier.escalation.Target;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.Severity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped example, {@code deploy/notifier/escalation.yml}, binds and checks: seed
 * 004's path level by level and seed 001's audiences, with a schedule that names someone.
 */
class EscalationExampleTest {

	@Test
	void theShippedExampleIsSeed004sPathAndSeed001sAudiences() throws IOException {
		StandardEnvironment environment = new StandardEnvironment();
		new YamlPropertySourceLoader().load("escalation", new FileSystemResource("../deploy/notifier/escalation.yml"))
			.forEach(environment.getPropertySources()::addLast);
		NotifierProperties properties = Binder.get(environment)
			.bind("firebreak.notifier", NotifierProperties.class)
			.get();

		EscalationPolicy policy = EscalationPolicies.of(properties, Destinations.declared(properties));

		assertThat(policy.levels().get(EscalationLevel.L1)).extracting(Target::name)
			.containsExactly("on-call:primary", "slack-oncall");
		assertThat(policy.levels().get(EscalationLevel.L2)).extracting(Target::name)
			.containsExactly("pd-engineering-manager");
		assertThat(policy.levels().get(EscalationLevel.L3)).extracting(Target::name)
			.containsExactly("pd-cto", "slack-leadership");
		assertThat(policy.levels().get(EscalationLevel.L4)).extracting(Target::name).containsExactly("pd-crisis-team");
		assertThat(policy.audiences().get(Severity.SEV1)).extracting(Target::name)
			.containsExactly("management", "status-page");
		assertThat(policy.audiences().get(Severity.SEV2)).extracting(Target::name).containsExactly("team-lead");
		assertThat(policy.audiences().get(Severity.SEV3)).extracting(Target::name).containsExactly("engineering");
		assertThat(policy.audiences()).doesNotContainKey(Severity.SEV4);
		// A Tuesday: the weekly layer; a Saturday: the weekend layer; Christmas: the
		// override.
		assertThat(onCall(policy, "2026-12-01T10:00:00Z")).isEqualTo("carol");
		assertThat(onCall(policy, "2026-12-05T10:00:00Z")).isEqualTo("dave");
		assertThat(onCall(policy, "2026-12-24T10:00:00Z")).isEqualTo("dave");
	}

	private static String onCall(EscalationPolicy policy, String at) {
		List<Reach> reach = policy.reach("L1", policy.levels().get(EscalationLevel.L1).get(0), Instant.parse(at));
		return reach.get(0).recipient();
	}

}
