package dev.firebreak.notifier.system;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import dev.firebreak.platform.security.Role;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public URL and the integrations' settings, bound and checked at startup, each
 * refusal naming its property and never repeating a secret.
 */
class IntegrationPropertiesTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Bound.class);

	@Test
	void thePublicUrlDefaultsToIncidentStoreHereAndMustBeAnAbsoluteHttpUrl() {
		this.runner.run((context) -> assertThat(context.getBean(PublicUrlProperties.class).base())
			.isEqualTo("http://127.0.0.1:8081"));
		this.runner.withPropertyValues("firebreak.public-url=https://firebreak.example.com/")
			.run((context) -> assertThat(context.getBean(PublicUrlProperties.class).base())
				.isEqualTo("https://firebreak.example.com"));
		for (String wrong : new String[] { "firebreak.example.com", "ftp://firebreak.example.com",
				"https://firebreak.example.com/?x=1", "https://user:pw@firebreak.example.com", "/console" }) {
			this.runner.withPropertyValues("firebreak.public-url=" + wrong)
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.hasMessageStartingWith("firebreak.public-url must be an absolute http or https URL"));
		}
	}

	@Test
	void pagerDutysWebhookSecretsAreAListInlineOrInFilesAndNeverShown(@TempDir Path dir) throws Exception {
		Path file = Files.writeString(dir.resolve("pd-secret"), "from-a-file\n");
		this.runner
			.withPropertyValues("firebreak.notifier.pagerduty.webhook-secrets[0]=first-secret",
					"firebreak.notifier.pagerduty.webhook-secrets[1]=second-secret",
					"firebreak.notifier.pagerduty.webhook-secret-files[0]=" + file)
			.run((context) -> {
				IntegrationProperties.PagerDutyWebhooks webhooks = context
					.getBean(IntegrationProperties.PagerDutyWebhooks.class);
				assertThat(webhooks.secrets()).extracting(dev.firebreak.platform.Secret::value)
					.containsExactly("first-secret", "second-secret", "from-a-file");
				assertThat(webhooks.toString()).doesNotContain("first-secret").doesNotContain("second-secret");
			});
	}

	@Test
	void slackUsersAreMappedToANameAndARoleAndCheckedAtStartup() {
		this.runner
			.withPropertyValues("firebreak.notifier.slack.signing-secret=sign-me",
					"firebreak.notifier.slack.users[0].slack-user=U0ALICE",
					"firebreak.notifier.slack.users[0].name=alice", "firebreak.notifier.slack.users[0].role=operator")
			.run((context) -> {
				IntegrationProperties.SlackInteractivity slack = context
					.getBean(IntegrationProperties.SlackInteractivity.class);
				assertThat(slack.secret())
					.hasValueSatisfying((secret) -> assertThat(secret.value()).isEqualTo("sign-me"));
				assertThat(slack.users())
					.containsExactly(new IntegrationProperties.UserSpec("U0ALICE", "alice", Role.OPERATOR));
				assertThat(slack.toString()).doesNotContain("sign-me");
			});
		this.runner
			.withPropertyValues("firebreak.notifier.slack.users[0].slack-user=alice",
					"firebreak.notifier.slack.users[0].name=alice", "firebreak.notifier.slack.users[0].role=operator")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("firebreak.notifier.slack.users[0].slack-user must be a Slack user id (U… or W…)"));
		this.runner
			.withPropertyValues("firebreak.notifier.slack.users[0].slack-user=U0ALICE",
					"firebreak.notifier.slack.users[0].name=alice")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("firebreak.notifier.slack.users[0].role must be viewer, operator or admin"));
		this.runner
			.withPropertyValues("firebreak.notifier.slack.users[0].slack-user=U0ALICE",
					"firebreak.notifier.slack.users[0].name=alice", "firebreak.notifier.slack.users[0].role=operator",
					"firebreak.notifier.slack.users[1].slack-user=U0ALICE",
					"firebreak.notifier.slack.users[1].name=alice2", "firebreak.notifier.slack.users[1].role=viewer")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("firebreak.notifier.slack.users[1].slack-user U0ALICE is mapped twice"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ PublicUrlProperties.class, IntegrationProperties.PagerDutyWebhooks.class,
			IntegrationProperties.SlackInteractivity.class })
	static class Bound {

	}

}
