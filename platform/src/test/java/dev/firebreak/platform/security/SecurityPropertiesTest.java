package dev.firebreak.platform.security;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code firebreak.security.*} bound as the services bind it, failing fast with a message
 * that names the property.
 */
class SecurityPropertiesTest {

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(Binding.class);

	@Test
	void readsATokenFromAFile() throws Exception {
		Path file = Files.writeString(this.directory.resolve("token"), "from-a-file-0123456789\n");
		this.contextRunner
			.withPropertyValues("firebreak.security.tokens[0].name=alertmanager",
					"firebreak.security.tokens[0].token-file=" + file, "firebreak.security.tokens[0].role=sender")
			.run((context) -> {
				Callers callers = context.getBean(SecurityProperties.class).callers();
				assertThat(callers.authenticate(bearer("from-a-file-0123456789")).getName()).isEqualTo("alertmanager");
				assertThat(callers.authenticate(bearer("from-a-file-0123456789")).getAuthorities())
					.extracting(Object::toString)
					.containsExactly("ROLE_SENDER");
			});
	}

	@Test
	void anAdminHoldsTheRolesBelowItButNotSender() {
		assertThat(Role.ADMIN.authorities()).extracting(Object::toString)
			.containsExactly("ROLE_ADMIN", "ROLE_OPERATOR", "ROLE_VIEWER");
		assertThat(Role.SENDER.authorities()).extracting(Object::toString).containsExactly("ROLE_SENDER");
	}

	@Test
	void refusesAMissingRoleANameUsedTwiceAndAMissingSecret() {
		failsWith("firebreak.security.tokens[0].role is required: sender, viewer, operator or admin",
				"firebreak.security.tokens[0].name=a", "firebreak.security.tokens[0].token=t");
		failsWith("firebreak.security.users[0].name 'a' is used twice", "firebreak.security.tokens[0].name=a",
				"firebreak.security.tokens[0].token=t", "firebreak.security.tokens[0].role=viewer",
				"firebreak.security.users[0].name=a", "firebreak.security.users[0].password=p",
				"firebreak.security.users[0].role=viewer");
		failsWith("firebreak.security.client-certificates[0].common-name is required",
				"firebreak.security.client-certificates[0].role=sender");
		failsWith("firebreak.security.users[0].name must not contain ':'", "firebreak.security.users[0].name=a:b",
				"firebreak.security.users[0].password=p", "firebreak.security.users[0].role=viewer");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new SecurityProperties(
					java.util.List.of(new SecurityProperties.Token("a", null, null, Role.VIEWER)), null, null, null,
					null)
				.callers())
			.withMessage("firebreak.security.tokens[0].token or firebreak.security.tokens[0].token-file is required");
	}

	@Test
	void aServiceWithPathsRefusesToStartWhenNobodyMayCallIt() {
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> start())
			.havingRootCause()
			.withMessageStartingWith("Nobody may call this service: set firebreak.security.tokens");
	}

	@Test
	void namesTheReplacementOfASettingThatMoved() {
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(
					() -> start("--firebreak.api.tokens[0].name=olivia", "--firebreak.security.anonymous-roles=viewer"))
			.havingRootCause()
			.withMessage("firebreak.api.tokens is no longer read: use firebreak.security.tokens (name, token or "
					+ "token-file, role)");
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> start("--firebreak.ingest.auth.bearer-token-file=/run/token",
					"--firebreak.security.anonymous-roles=viewer"))
			.havingRootCause()
			.withMessageStartingWith("firebreak.ingest.auth is no longer read");
	}

	private static void start(String... arguments) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(GuardedApplication.class)
			.properties("server.port=0")
			.run(arguments)) {
			assertThat(context.isRunning()).isFalse();
		}
	}

	private void failsWith(String message, String... properties) {
		this.contextRunner.withPropertyValues(properties)
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageStartingWith(message));
	}

	private static BearerToken bearer(String token) {
		org.springframework.mock.web.MockHttpServletRequest request = new org.springframework.mock.web.MockHttpServletRequest();
		request.addHeader("Authorization", "Bearer " + token);
		return BearerToken.of(request);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(SecurityProperties.class)
	static class Binding {

	}

}
