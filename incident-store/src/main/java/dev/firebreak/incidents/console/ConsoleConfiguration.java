package dev.firebreak.incidents.console;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

import dev.firebreak.platform.security.ConsoleAccess;
import dev.firebreak.platform.security.Role;

/**
 * The console's pages and the role each needs: the same roles as the API's. Viewers read;
 * operators also act on incidents, remediations and maintenance windows. The sign-in page
 * and the style sheet and script are open ({@link ConsoleAccess}).
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

	static final String PATH = "/console";

	@Bean
	ConsoleAccess console() {
		return new ConsoleAccess() {

			@Override
			public String path() {
				return PATH;
			}

			@Override
			public void authorize(
					AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
				requests
					.requestMatchers(HttpMethod.GET, PATH, PATH + "/incidents", PATH + "/incidents/rows",
							PATH + "/incidents/*", PATH + "/incidents/*/report.md", PATH + "/maintenance")
					.hasRole(Role.VIEWER.name())
					.requestMatchers(HttpMethod.POST, PATH + "/incidents/*/acknowledge", PATH + "/incidents/*/resolve",
							PATH + "/incidents/*/comment", PATH + "/incidents/*/assign", PATH + "/incidents/*/escalate",
							PATH + "/remediations/*/approve", PATH + "/remediations/*/reject", PATH + "/maintenance",
							PATH + "/maintenance/preview", PATH + "/maintenance/*/end")
					.hasRole(Role.OPERATOR.name())
					.requestMatchers(HttpMethod.GET, PATH + "/remediation")
					.hasRole(Role.ADMIN.name())
					.requestMatchers(HttpMethod.POST, PATH + "/remediation/kill-switch")
					.hasRole(Role.ADMIN.name());
			}

		};
	}

}
