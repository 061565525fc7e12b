package dev.firebreak.notifier.system;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.firebreak.notifier.integration.SlackUsers;
import dev.firebreak.platform.Secret;
import dev.firebreak.platform.security.Role;

/**
 * What the inbound side of the integrations needs: the secrets that sign PagerDuty's
 * webhooks and Slack's clicks, and who each Slack user is. Bound beside the outbound
 * settings of the same channel ({@code firebreak.notifier.pagerduty.*},
 * {@code firebreak.notifier.slack.*}), which are {@link NotifierProperties}'.
 */
final class IntegrationProperties {

	private IntegrationProperties() {
	}

	/**
	 * PagerDuty's v3 webhook subscription.
	 *
	 * @param webhookSecrets the subscription's signing secrets; more than one while a
	 * secret is rotated (a webhook signed with any is taken)
	 * @param webhookSecretFiles or in files, one secret each
	 */
	@ConfigurationProperties("firebreak.notifier.pagerduty")
	record PagerDutyWebhooks(List<Secret> webhookSecrets, List<Path> webhookSecretFiles) {

		PagerDutyWebhooks {
			webhookSecrets = (webhookSecrets != null) ? List.copyOf(webhookSecrets) : List.of();
			webhookSecretFiles = (webhookSecretFiles != null) ? List.copyOf(webhookSecretFiles) : List.of();
		}

		/** Every secret, inline and from files; empty when webhooks are not taken. */
		List<Secret> secrets() {
			List<Secret> secrets = new ArrayList<>(this.webhookSecrets);
			for (int i = 0; i < this.webhookSecretFiles.size(); i++) {
				Secret
					.resolve("firebreak.notifier.pagerduty.webhook-secret-files[" + i + "]", null,
							this.webhookSecretFiles.get(i))
					.ifPresent(secrets::add);
			}
			return List.copyOf(secrets);
		}

	}

	/**
	 * The Slack app's interactivity.
	 *
	 * @param signingSecret the app's signing secret
	 * @param signingSecretFile or in a file
	 * @param users who each Slack user is in Firebreak; only these may click
	 */
	@ConfigurationProperties("firebreak.notifier.slack")
	record SlackInteractivity(Secret signingSecret, Path signingSecretFile, List<UserSpec> users) {

		static final String PREFIX = "firebreak.notifier.slack.";

		SlackInteractivity {
			users = (users != null) ? List.copyOf(users) : List.of();
			if (signingSecret != null && signingSecretFile != null) {
				throw new IllegalArgumentException(
						"at most one of " + PREFIX + "signing-secret and " + PREFIX + "signing-secret-file");
			}
			Set<String> seen = new HashSet<>();
			for (int i = 0; i < users.size(); i++) {
				UserSpec user = users.get(i);
				String field = PREFIX + "users[" + i + "]";
				if (user.slackUser() == null || !user.slackUser().matches("[UW][A-Z0-9]{1,30}")) {
					throw new IllegalArgumentException(field + ".slack-user must be a Slack user id (U… or W…)");
				}
				if (user.name() == null || user.name().isBlank() || user.name().length() > 200) {
					throw new IllegalArgumentException(field + ".name must be 1 to 200 characters");
				}
				if (user.role() == null) {
					throw new IllegalArgumentException(field + ".role must be viewer, operator or admin");
				}
				if (!seen.add(user.slackUser())) {
					throw new IllegalArgumentException(field + ".slack-user " + user.slackUser() + " is mapped twice");
				}
			}
		}

		/**
		 * The signing secret, inline or from its file; empty when clicks are not taken.
		 */
		Optional<Secret> secret() {
			return (this.signingSecret != null) ? Optional.of(this.signingSecret)
					: Secret.resolve(PREFIX + "signing-secret", null, this.signingSecretFile);
		}

		SlackUsers slackUsers() {
			return new SlackUsers(this.users.stream()
				.map((user) -> new SlackUsers.User(user.slackUser(), user.name().strip(), user.role()))
				.toList());
		}

	}

	/**
	 * A Slack user and who they are in Firebreak.
	 *
	 * @param slackUser their Slack user id ({@code U0123ABCD})
	 * @param name their name in Firebreak's timeline
	 * @param role viewer, operator or admin (operator and admin may act)
	 */
	record UserSpec(String slackUser, String name, Role role) {

	}

}
