package dev.firebreak.incidents.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import dev.firebreak.platform.security.AccessRules;
import dev.firebreak.platform.security.Role;

/**
 * Who may use the operators' API: viewers read; operators also act on incidents,
 * remediations and maintenance windows; the API's description is public.
 */
@Configuration(proxyBeanMethods = false)
class AccessConfiguration {

	@Bean
	AccessRules operatorsApi() {
		return (requests) -> requests.requestMatchers(HttpMethod.GET, "/api/v1/**")
			.hasRole(Role.VIEWER.name())
			.requestMatchers(HttpMethod.POST, "/api/v1/incidents/*/acknowledge", "/api/v1/incidents/*/resolve",
					"/api/v1/incidents/*/comment", "/api/v1/incidents/*/assign", "/api/v1/incidents/*/escalate",
					"/api/v1/incidents/*/severity", "/api/v1/incidents/*/snooze", "/api/v1/incidents/*/release",
					"/api/v1/remediations/*/approve", "/api/v1/remediations/*/reject", "/api/v1/maintenance-windows")
			.hasRole(Role.OPERATOR.name())
			.requestMatchers(HttpMethod.DELETE, "/api/v1/maintenance-windows/*")
			.hasRole(Role.OPERATOR.name())
			.requestMatchers(HttpMethod.GET, "/openapi.yaml")
			.permitAll();
	}

}
