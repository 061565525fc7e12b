package dev.firebreak.platform.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * A service's pages for people in a browser, under one path, contributed as a bean: the
 * one security configuration of {@code platform} gives them a filter chain of their own.
 * A person signs in once on {@code <path>/login} with a configured named token (or user
 * name and password); a session cookie ({@code HttpOnly}, {@code SameSite=Strict} from
 * {@code server.servlet.session.cookie}) carries the sign-in, and every request that
 * changes something must carry the session's CSRF token. The roles are the API's: the
 * service names which of its pages need which ({@link #authorize}); a path it does not
 * name is refused.
 */
public interface ConsoleAccess {

	/** Where the pages live, such as {@code /console}: no trailing slash. */
	String path();

	void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests);

}
