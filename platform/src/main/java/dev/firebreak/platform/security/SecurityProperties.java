package dev.firebreak.platform.security;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.firebreak.platform.Secret;

/**
 * Who may call a Firebreak service ({@code firebreak.security.*}), the same for every
 * service: named bearer tokens and basic users, each with one {@link Role}, secrets
 * inline (from the environment) or from a file; client certificates mapped to a role by
 * their subject's common name; the roles, if any, of a caller without credentials; and
 * the actuator endpoints open to anyone.
 *
 * @param tokens bearer tokens
 * @param users HTTP basic users
 * @param clientCertificates callers known by their client certificate (with
 * {@code server.ssl.client-auth})
 * @param anonymousRoles what a caller without credentials may do; empty (the default)
 * means nothing but the public endpoints
 * @param publicEndpoints actuator endpoints open without credentials
 */
@ConfigurationProperties("firebreak.security")
public record SecurityProperties(List<Token> tokens, List<User> users, List<ClientCertificate> clientCertificates,
		Set<Role> anonymousRoles, @DefaultValue( {
				"health", "prometheus" }) Set<String> publicEndpoints){

	static final String PREFIX = "firebreak.security.";

	public SecurityProperties {
		tokens = (tokens != null) ? List.copyOf(tokens) : List.of();
		users = (users != null) ? List.copyOf(users) : List.of();
		clientCertificates = (clientCertificates != null) ? List.copyOf(clientCertificates) : List.of();
		anonymousRoles = (anonymousRoles != null) ? Set.copyOf(anonymousRoles) : Set.of();
		publicEndpoints = (publicEndpoints != null) ? Set.copyOf(publicEndpoints) : Set.of();
		Set<String> names = new HashSet<>();
		for (int i = 0; i < tokens.size(); i++) {
			requireNameAndRole(PREFIX + "tokens[" + i + "].name", tokens.get(i).name(), tokens.get(i).role(), names);
		}
		for (int i = 0; i < users.size(); i++) {
			String property = PREFIX + "users[" + i + "].name";
			requireNameAndRole(property, users.get(i).name(), users.get(i).role(), names);
			if (users.get(i).name().contains(":")) {
				throw new IllegalArgumentException(property + " must not contain ':'");
			}
		}
		for (int i = 0; i < clientCertificates.size(); i++) {
			ClientCertificate certificate = clientCertificates.get(i);
			requireNameAndRole(PREFIX + "client-certificates[" + i + "].common-name", certificate.commonName(),
					certificate.role(), names);
		}
	}

	/**
	 * A bearer token.
	 *
	 * @param name who it is: the actor the timeline shows
	 * @param token the secret, inline
	 * @param tokenFile or the file that holds it
	 * @param role what it may do
	 */
	public record Token(String name, String token, Path tokenFile, Role role) {
	}

	/**
	 * An HTTP basic user (Alertmanager's {@code basic_auth}).
	 *
	 * @param name the user name, also the actor
	 * @param password the password, inline
	 * @param passwordFile or the file that holds it
	 * @param role what it may do
	 */
	public record User(String name, String password, Path passwordFile, Role role) {
	}

	/**
	 * A client certificate, known by the common name (CN) of its subject; the certificate
	 * itself is checked by the TLS connector against {@code server.ssl.trust-store}.
	 *
	 * @param commonName the subject's CN, also the actor
	 * @param role what it may do
	 */
	public record ClientCertificate(String commonName, Role role) {
	}

	/** Whether anyone at all can get past the public endpoints. */
	boolean hasCallers() {
		return !this.tokens.isEmpty() || !this.users.isEmpty() || !this.clientCertificates.isEmpty()
				|| !this.anonymousRoles.isEmpty();
	}

	/** The callers, secrets resolved (files read). */
	Callers callers() {
		List<Callers.Caller> callers = new ArrayList<>();
		for (int i = 0; i < this.tokens.size(); i++) {
			Token token = this.tokens.get(i);
			String property = PREFIX + "tokens[" + i + "].token";
			callers.add(new Callers.Caller(Callers.Kind.TOKEN, token.name(),
					secret(property, token.token(), token.tokenFile()), token.role()));
		}
		for (int i = 0; i < this.users.size(); i++) {
			User user = this.users.get(i);
			String property = PREFIX + "users[" + i + "].password";
			callers.add(new Callers.Caller(Callers.Kind.USER, user.name(),
					secret(property, user.password(), user.passwordFile()), user.role()));
		}
		for (ClientCertificate certificate : this.clientCertificates) {
			callers
				.add(new Callers.Caller(Callers.Kind.CERTIFICATE, certificate.commonName(), null, certificate.role()));
		}
		return new Callers(callers);
	}

	private static Secret secret(String property, String inline, Path file) {
		return Secret.resolve(property, inline, file)
			.orElseThrow(() -> new IllegalArgumentException(property + " or " + property + "-file is required"));
	}

	/**
	 * @param property the name's property ({@code firebreak.security.tokens[0].name})
	 */
	private static void requireNameAndRole(String property, String name, Role role, Set<String> names) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException(property + " is required");
		}
		if (!names.add(name)) {
			throw new IllegalArgumentException(property + " '" + name
					+ "' is used twice: a name is who did something on the timeline, so it must say who");
		}
		if (role == null) {
			throw new IllegalArgumentException(property.substring(0, property.lastIndexOf('.'))
					+ ".role is required: sender, viewer, operator or admin");
		}
	}

}
