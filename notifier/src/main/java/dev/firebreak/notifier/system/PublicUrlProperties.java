package dev.firebreak.notifier.system;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Firebreak's address as people reach it ({@code firebreak.public-url}): every link the
 * notifier sends (Slack, PagerDuty, email, webhook) is the incident's page in the console
 * under it, {@code {public-url}/console/incidents/{id}}. Replaces
 * {@code firebreak.notifier.api-base-url}, which linked to the token-protected API.
 *
 * @param publicUrl an absolute http or https URL, without query or fragment (default
 * {@code http://127.0.0.1:8081}, incident-store on this machine)
 */
@ConfigurationProperties("firebreak")
public record PublicUrlProperties(URI publicUrl) {

	static final String PROPERTY = "firebreak.public-url";

	public PublicUrlProperties {
		publicUrl = (publicUrl != null) ? publicUrl : URI.create("http://127.0.0.1:8081");
		if (!publicUrl.isAbsolute() || !("http".equals(publicUrl.getScheme()) || "https".equals(publicUrl.getScheme()))
				|| publicUrl.getHost() == null || publicUrl.getRawQuery() != null || publicUrl.getRawFragment() != null
				|| publicUrl.getRawUserInfo() != null) {
			throw new IllegalArgumentException(PROPERTY
					+ " must be an absolute http or https URL with a host and without user, query or fragment, "
					+ "such as https://firebreak.example.com");
		}
	}

	/** The URL as links start with it, without a trailing slash. */
	String base() {
		String url = this.publicUrl.toString();
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

}
