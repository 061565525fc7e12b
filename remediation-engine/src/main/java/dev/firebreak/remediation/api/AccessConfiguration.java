package dev.firebreak.remediation.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import dev.firebreak.platform.security.AccessRules;
import dev.firebreak.platform.security.Role;

/**
 * Who may read the runbook catalogue: admins only, as it shows every template, URL,
 * header and statement the engine may run (secrets masked). Any method, so that an
 * admin's write is told 405: the catalogue is read-only. Operators try a runbook on an
 * alert's labels (its dry run), as they approve its runs.
 */
@Configuration(proxyBeanMethods = false)
class AccessConfiguration {

	@Bean
	AccessRules runbookCatalogue() {
		return (requests) -> requests.requestMatchers(HttpMethod.POST, "/api/v1/runbooks/*/dry-run")
			.hasRole(Role.OPERATOR.name())
			.requestMatchers("/api/v1/runbooks", "/api/v1/runbooks/*")
			.hasRole(Role.ADMIN.name());
	}

}
