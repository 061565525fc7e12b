package dev.firebreak.platform.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * A service's own paths and the role each needs, contributed as a bean and applied by the
 * one security configuration of {@code platform}. Paths are matched as Spring routes them
 * (decoded, normalised), never by a prefix of the raw URI. A path no rule names is
 * refused, so every endpoint must appear in some service's rules:
 *
 * <pre>
 * &#64;Bean
 * AccessRules alertSenders() {
 * 	return (requests) -&gt; requests.requestMatchers(HttpMethod.POST, "/api/v2/alerts").hasRole(Role.SENDER.name());
 * }
 * </pre>
 */
@FunctionalInterface
public interface AccessRules {

	void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests);

}
