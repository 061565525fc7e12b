package dev.firebreak.ingest.webhook;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import dev.firebreak.platform.security.AccessRules;
import dev.firebreak.platform.security.Role;

/**
 * Who may use alert-ingest: senders (Alertmanager, Prometheus) post alerts; the API's
 * description is public. Checked before anything reads a body.
 */
@Configuration(proxyBeanMethods = false)
class AccessConfiguration {

	@Bean
	AccessRules alertSenders() {
		// Any method, so that a sender's GET is told 405 by the controller.
		return (requests) -> requests.requestMatchers("/api/v1/alerts/alertmanager", "/api/v2/alerts")
			.hasRole(Role.SENDER.name())
			.requestMatchers(HttpMethod.GET, "/openapi.yaml")
			.permitAll();
	}

}
