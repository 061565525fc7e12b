package dev.firebreak.notifier.system;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.notifier.integration.InboundCommands;
import dev.firebreak.notifier.integration.IntegrationRefusals;
import dev.firebreak.notifier.integration.RawBody;
import dev.firebreak.notifier.integration.SignatureCheck;
import dev.firebreak.notifier.integration.SignedRequests;
import dev.firebreak.notifier.integration.SlackUsers;
import dev.firebreak.notifier.route.Origin;
import dev.firebreak.platform.CommandOutbox;
import dev.firebreak.platform.Secret;

/**
 * The integrations' own access control, with Spring Security, ahead of platform's chain
 * (which refuses any path no service names): {@code /api/v1/integrations/**} is for
 * machines that sign what they send, so a request there is authenticated by its signature
 * over the raw body (PagerDuty's, Slack's), never by a token or a session, and each path
 * needs the authority only its own integration's signature gives. Stateless, no CSRF (no
 * cookie is ever read). An integration whose secret is not configured is refused (401) on
 * its path.
 */
@Configuration(proxyBeanMethods = false)
class IntegrationSecurity {

	static final String PATHS = "/api/v1/integrations/**";

	static final String PAGERDUTY = "/api/v1/integrations/pagerduty";

	static final String SLACK = "/api/v1/integrations/slack";

	private static final Logger log = LoggerFactory.getLogger(IntegrationSecurity.class);

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityFilterChain integrationsSecurityFilterChain(HttpSecurity http,
			IntegrationProperties.PagerDutyWebhooks pagerDuty, IntegrationProperties.SlackInteractivity slack,
			JsonMapper json, MeterRegistry meters, Clock clock) throws Exception {
		IntegrationRefusals refusals = new IntegrationRefusals(json, meters);
		List<AuthenticationFilter> checks = new ArrayList<>();
		List<Secret> pagerDutySecrets = pagerDuty.secrets();
		if (!pagerDutySecrets.isEmpty()) {
			checks.add(SignedRequests.pagerDuty(PAGERDUTY, SignatureCheck.pagerDuty(pagerDutySecrets)));
		}
		Optional<Secret> signingSecret = slack.secret();
		signingSecret
			.ifPresent((secret) -> checks.add(SignedRequests.slack(SLACK, SignatureCheck.slack(secret, clock))));
		if (signingSecret.isEmpty() && !slack.users().isEmpty()) {
			log.atWarn()
				.setMessage("Slack users are mapped but no signing secret is set: Slack's clicks are refused "
						+ "(firebreak.notifier.slack.signing-secret)")
				.log();
		}
		http.securityMatcher(PATHS)
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.logout((logout) -> logout.disable())
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
			.addFilterBefore(new RawBody(refusals), BasicAuthenticationFilter.class);
		for (AuthenticationFilter check : checks) {
			check.setFailureHandler(new AuthenticationEntryPointFailureHandler(refusals));
			http.addFilterBefore(check, BasicAuthenticationFilter.class);
		}
		http.authorizeHttpRequests((requests) -> requests.dispatcherTypeMatchers(DispatcherType.ERROR)
			.permitAll()
			.requestMatchers(HttpMethod.POST, PAGERDUTY)
			.hasAuthority(SignedRequests.authority(Origin.PAGERDUTY))
			.requestMatchers(HttpMethod.POST, SLACK)
			.hasAuthority(SignedRequests.authority(Origin.SLACK))
			.anyRequest()
			.denyAll());
		return http.build();
	}

	@Bean
	InboundCommands inboundCommands(DataSource dataSource, CommandOutbox outbox) {
		return new InboundCommands(dataSource, outbox);
	}

	@Bean
	SlackUsers slackUsers(IntegrationProperties.SlackInteractivity slack) {
		return slack.slackUsers();
	}

}
