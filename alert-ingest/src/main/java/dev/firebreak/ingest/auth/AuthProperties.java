package dev.firebreak.ingest.auth;

import java.nio.file.Path;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.firebreak.platform.Secret;

/**
 * Who may post alerts: what Alertmanager's {@code http_config} sends, a bearer token
 * ({@code authorization.credentials}) and/or HTTP basic ({@code basic_auth}). Secrets
 * come inline (from the environment) or from a file. Without any, the service refuses to
 * start unless {@code allow-unauthenticated} says so explicitly.
 */
@ConfigurationProperties("firebreak.ingest.auth")
public record AuthProperties(String bearerToken, Path bearerTokenFile, String username, String password,
		Path passwordFile, boolean allowUnauthenticated) {

	static final String PREFIX = "firebreak.ingest.auth.";

	public AuthProperties {
		boolean hasBearer = bearerToken != null && !bearerToken.isEmpty() || bearerTokenFile != null;
		boolean hasUsername = username != null && !username.isEmpty();
		boolean hasPassword = password != null && !password.isEmpty() || passwordFile != null;
		if (hasUsername != hasPassword) {
			throw new IllegalArgumentException(PREFIX + "username and " + PREFIX + "password go together");
		}
		if (hasUsername && username.contains(":")) {
			throw new IllegalArgumentException(PREFIX + "username must not contain ':'");
		}
		boolean hasCredentials = hasBearer || hasUsername;
		if (!hasCredentials && !allowUnauthenticated) {
			throw new IllegalArgumentException("Set " + PREFIX + "bearer-token (or -file), or " + PREFIX
					+ "username and password (or -file), or " + PREFIX + "allow-unauthenticated=true");
		}
		if (hasCredentials && allowUnauthenticated) {
			throw new IllegalArgumentException(PREFIX + "allow-unauthenticated=true contradicts the credentials set");
		}
	}

	/**
	 * The credentials, resolved (files read); empty when unauthenticated access is
	 * allowed.
	 */
	Credentials credentials() {
		Optional<Secret> bearer = Secret.resolve(PREFIX + "bearer-token", this.bearerToken, this.bearerTokenFile);
		Optional<Secret> basic = Secret.resolve(PREFIX + "password", this.password, this.passwordFile);
		return new Credentials(bearer, basic.map((secret) -> new Credentials.Basic(this.username, secret)));
	}

}
