package dev.firebreak.ingest.auth;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.ObjectMapper;

/**
 * Registers the authentication filter first, and says loudly when there is nothing to
 * check.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthProperties.class)
class AuthConfiguration {

	private static final Logger log = LoggerFactory.getLogger(AuthConfiguration.class);

	@Bean
	FilterRegistrationBean<AuthenticationFilter> authenticationFilter(AuthProperties properties, ObjectMapper json,
			MeterRegistry registry) {
		Credentials credentials = properties.credentials();
		if (!credentials.required()) {
			log.atWarn()
				.setMessage("alert-ingest accepts alerts WITHOUT authentication (allow-unauthenticated=true)")
				.log();
		}
		FilterRegistrationBean<AuthenticationFilter> registration = new FilterRegistrationBean<>(
				new AuthenticationFilter(credentials, json, registry));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

}
