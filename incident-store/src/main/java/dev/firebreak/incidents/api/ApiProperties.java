package dev.firebreak.incidents.api;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The query API's bounds ({@code firebreak.api.*}).
 *
 * @param statementTimeout the longest one of the API's queries may run (whole seconds, at
 * least one): a viewer's filter, a regular expression say, must not hold the database
 */
@ConfigurationProperties("firebreak.api")
public record ApiProperties(@DefaultValue("5s") Duration statementTimeout) {

	public ApiProperties {
		if (statementTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException(
					"firebreak.api.statement-timeout must be at least 1s, not " + statementTimeout);
		}
	}

	/** As JDBC takes it: whole seconds, rounded up. */
	int statementTimeoutSeconds() {
		return (int) Math.min(Integer.MAX_VALUE, (this.statementTimeout.toMillis() + 999) / 1000);
	}

}
