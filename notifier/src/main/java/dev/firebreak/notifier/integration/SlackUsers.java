package dev.firebreak.notifier.integration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.firebreak.platform.security.Role;

/**
 * Who a Slack user is in Firebreak, by configuration: a name for the timeline and a role.
 * Only an operator or an admin may act on an incident from Slack, as from the API; a
 * Slack user who is not here may do nothing.
 */
public final class SlackUsers {

	private final Map<String, User> users;

	/**
	 * A Slack user's Firebreak identity.
	 *
	 * @param slackUser the Slack user id ({@code U…} or {@code W…})
	 * @param name the name that acts, in the incident's timeline
	 * @param role what they may do
	 */
	public record User(String slackUser, String name, Role role) {

		/** Whether they may acknowledge, resolve, approve and reject. */
		boolean acts() {
			return this.role == Role.OPERATOR || this.role == Role.ADMIN;
		}

	}

	public SlackUsers(List<User> users) {
		Map<String, User> byId = new HashMap<>();
		users.forEach((user) -> byId.put(user.slackUser(), user));
		this.users = Map.copyOf(byId);
	}

	Optional<User> find(String slackUser) {
		return Optional.ofNullable(this.users.get(slackUser));
	}

}
