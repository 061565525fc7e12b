package dev.firebreak.incidents.console;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.firebreak.platform.Secret;

/**
 * The console's settings ({@code firebreak.console.*}).
 *
 * @param remediationEngine where the kill switch lives: remediation-engine's base URL and
 * an {@code admin} token of its (named for the console, e.g. {@code console}); the
 * console relays an admin's switch there, and the engine records it as
 * {@code "console for alice"}. Without a token the console shows no switch.
 */
@ConfigurationProperties("firebreak.console")
public record ConsoleProperties(@DefaultValue RemediationEngine remediationEngine) {

	/**
	 * @param url remediation-engine's base URL
	 * @param token the admin token the console presents to it
	 * @param tokenFile or the file that holds it
	 */
	public record RemediationEngine(@DefaultValue("http://127.0.0.1:8082") URI url, String token, Path tokenFile) {

		public RemediationEngine {
			if (!url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
				throw new IllegalArgumentException(
						"firebreak.console.remediation-engine.url must be an http(s) URL, not " + url);
			}
		}

		Optional<Secret> secret() {
			return Secret.resolve("firebreak.console.remediation-engine.token", this.token, this.tokenFile);
		}

	}

}
