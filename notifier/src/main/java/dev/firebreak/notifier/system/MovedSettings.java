package dev.firebreak.notifier.system;

import java.util.Map;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

/**
 * The notifier's settings of earlier versions that others replaced. Ignoring one silently
 * would send links nobody can open, so startup names the replacement instead (as platform
 * does for the security settings it replaced).
 */
final class MovedSettings {

	private static final Map<String, String> MOVED = Map.of("firebreak.notifier.api-base-url",
			PublicUrlProperties.PROPERTY + " (Firebreak's address as people reach it; links go to the console, "
					+ "{public-url}/console/incidents/{id})");

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
				if (source.getConfigurationProperty(name) != null) {
					throw new IllegalStateException(old + " is no longer read: use " + replacement);
				}
			}
		});
	}

}
