package dev.firebreak.platform.security;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationProvider;
import org.springframework.security.web.authentication.preauth.x509.SubjectX500PrincipalExtractor;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one access control of every Firebreak service, with Spring Security: callers
 * authenticate by bearer token, HTTP basic or client certificate
 * ({@link SecurityProperties}); each service names its paths and their roles
 * ({@link AccessRules}); the actuator's public endpoints (health and prometheus by
 * default) are open, every other actuator endpoint needs {@code admin}; any other path is
 * refused. Spring Security's firewall refuses non-normalised requests before anything is
 * matched, and rules match the path as Spring routes it. Stateless: no session, no
 * cookie, so no CSRF to defend against. A service with pages for browsers
 * ({@link ConsoleAccess}) gets a second chain for them alone, with a sign-in form, a
 * session cookie and CSRF protection.
 */
@AutoConfiguration(before = { ServletWebSecurityAutoConfiguration.class, ManagementWebSecurityAutoConfiguration.class,
		UserDetailsServiceAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableWebSecurity
@EnableConfigurationProperties(SecurityProperties.class)
public class AccessControlAutoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(AccessControlAutoConfiguration.class);

	private static final String CONSOLE_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
			+ "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

	@Bean
	Callers firebreakCallers(SecurityProperties properties, Environment environment) {
		MovedSettings.refuse(environment);
		return properties.callers();
	}

	@Bean
	Refusals firebreakRefusals(JsonMapper json, MeterRegistry registry, Callers callers) {
		List<String> challenges = (callers.any(Callers.Kind.USER))
				? List.of("Bearer realm=\"firebreak\"", "Basic realm=\"firebreak\"")
				: List.of("Bearer realm=\"firebreak\"");
		return new Refusals(json, registry, challenges.toArray(String[]::new));
	}

	@Bean
	SecurityFilterChain firebreakSecurityFilterChain(HttpSecurity http, SecurityProperties properties, Callers callers,
			Refusals refusals, ObjectProvider<AccessRules> rules) throws Exception {
		List<AccessRules> serviceRules = rules.orderedStream().toList();
		requireCallers(properties, serviceRules);
		ProviderManager manager = new ProviderManager(callers, certificates(callers));
		AuthenticationFilter bearer = new AuthenticationFilter(manager, BearerToken::of);
		bearer.setSuccessHandler((request, response, authentication) -> {
		});
		bearer.setFailureHandler(new AuthenticationEntryPointFailureHandler(refusals));
		http.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.logout((logout) -> logout.disable())
			.authenticationManager(manager)
			.httpBasic((basic) -> basic.authenticationEntryPoint(refusals))
			.addFilterBefore(bearer, BasicAuthenticationFilter.class)
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
			.authorizeHttpRequests((requests) -> {
				// Spring's error page for a request already authorised (or refused).
				requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
				if (!properties.publicEndpoints().isEmpty()) {
					requests.requestMatchers(EndpointRequest.to(properties.publicEndpoints().toArray(String[]::new)))
						.permitAll();
				}
				requests.requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(Role.ADMIN.name());
				serviceRules.forEach((rule) -> rule.authorize(requests));
				requests.anyRequest().denyAll();
			});
		anonymous(http, properties);
		if (callers.any(Callers.Kind.CERTIFICATE)) {
			http.x509((x509) -> x509.x509PrincipalExtractor(new SubjectX500PrincipalExtractor())
				.authenticationUserDetailsService(callers));
		}
		return http.build();
	}

	/**
	 * The console's chain, before the API's: sign-in with a named token on a form, kept
	 * by the session cookie, CSRF-checked, and no script, style or form target from
	 * anywhere but the service itself.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 100)
	@ConditionalOnBean(ConsoleAccess.class)
	SecurityFilterChain firebreakConsoleFilterChain(HttpSecurity http, SecurityProperties properties, Callers callers,
			ConsoleAccess console) throws Exception {
		String path = console.path();
		http.securityMatcher(path, path + "/**")
			.authenticationManager(new ProviderManager(new ConsoleSignIn(callers)))
			.formLogin((form) -> form.loginPage(path + "/login")
				.usernameParameter("name")
				.passwordParameter("token")
				.defaultSuccessUrl(path + "/incidents", false)
				.failureUrl(path + "/login?error"))
			.logout((logout) -> logout.logoutUrl(path + "/logout").logoutSuccessUrl(path + "/login?signed-out"))
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONSOLE_POLICY)))
			.authorizeHttpRequests((requests) -> {
				requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
				requests.requestMatchers(path + "/login", path + "/static/**").permitAll();
				console.authorize(requests);
				requests.anyRequest().denyAll();
			});
		anonymous(http, properties);
		return http.build();
	}

	private static void anonymous(HttpSecurity http, SecurityProperties properties) throws Exception {
		if (!properties.anonymousRoles().isEmpty()) {
			log.atWarn()
				.setMessage("Callers WITHOUT credentials are allowed (firebreak.security.anonymous-roles): "
						+ "use this on a trusted network only")
				.addKeyValue("roles", properties.anonymousRoles())
				.log();
			http.anonymous((anonymous) -> anonymous.principal("anonymous")
				.authorities(properties.anonymousRoles()
					.stream()
					.flatMap((role) -> role.authorities().stream())
					.distinct()
					.toList()));
		}
	}

	/** Checks a client certificate's common name against the configured ones. */
	private static AuthenticationProvider certificates(Callers callers) {
		PreAuthenticatedAuthenticationProvider provider = new PreAuthenticatedAuthenticationProvider();
		provider.setPreAuthenticatedUserDetailsService(callers);
		return provider;
	}

	/**
	 * A service with paths of its own is useless, and silently so, when nobody may call
	 * it: that is a configuration mistake, and startup says so.
	 */
	private static void requireCallers(SecurityProperties properties, List<AccessRules> rules) {
		if (!rules.isEmpty() && !properties.hasCallers()) {
			throw new IllegalStateException("Nobody may call this service: set " + SecurityProperties.PREFIX
					+ "tokens (name, token or token-file, role), " + SecurityProperties.PREFIX + "users, "
					+ SecurityProperties.PREFIX + "client-certificates, or (on a trusted network only) "
					+ SecurityProperties.PREFIX + "anonymous-roles");
		}
	}

}
