package dev.firebreak.platform.security;

import java.util.Map;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.Environment;

/**
 * Settings of earlier versions that {@code firebreak.security} replaced. Ignoring one
 * silently would leave a service open or closed by surprise, so startup names the
 * replacement instead.
 */
final class MovedSettings {

	private static final Map<String, String> MOVED = Map.of("firebreak.ingest.auth",
			"firebreak.security.tokens (name, token or token-file, role: sender) or firebreak.security.users",
			"firebreak.api.tokens", "firebreak.security.tokens (name, token or token-file, role)",
			"firebreak.api.allow-unauthenticated", "firebreak.security.anonymous-roles");

	private MovedSettings() {
	}

	/**
	 * @throws IllegalStateException naming the old setting and its replacement when one
	 * is set
	 */
	static void refuse(Environment environment) {
		MOVED.forEach((old, replacement) -> {
			ConfigurationPropertyName name = ConfigurationPropertyName.of(old);
			for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
				if (source.getConfigurationProperty(name) != null
						|| source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT) {
					throw new IllegalStateException(old + " is no longer read: use " + replacement);
				}
			}
		});
	}

}
