package dev.firebreak.ingest.auth;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binding {@code firebreak.ingest.auth.*} the way the service does, failing fast with the
 * property's name.
 */
class AuthPropertiesTest {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(Binding.class);

	@TempDir
	Path directory;

	@Test
	void refusesToStartWithoutCredentialsUnlessToldTo() {
		this.contextRunner.run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("firebreak.ingest.auth.allow-unauthenticated=true"));
		this.contextRunner.withPropertyValues("firebreak.ingest.auth.allow-unauthenticated=true")
			.run((context) -> assertThat(context.getBean(AuthProperties.class).credentials().required()).isFalse());
	}

	@Test
	void refusesAUserWithoutAPassword() {
		this.contextRunner.withPropertyValues("firebreak.ingest.auth.username=alertmanager")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("username and firebreak.ingest.auth.password go together"));
	}

	@Test
	void refusesATokenInlineAndInAFile() {
		this.contextRunner
			.withPropertyValues("firebreak.ingest.auth.bearer-token=a",
					"firebreak.ingest.auth.bearer-token-file=" + this.directory.resolve("token"))
			.run((context) -> assertThat(context.getBean(AuthProperties.class)).satisfies(
					(properties) -> assertThat(org.assertj.core.api.Assertions.catchThrowable(properties::credentials))
						.hasMessageContaining("at most one of firebreak.ingest.auth.bearer-token")));
	}

	@Test
	void readsTheTokenFromAFile() throws Exception {
		Path token = Files.writeString(this.directory.resolve("token"), "from-a-file\n");
		this.contextRunner.withPropertyValues("firebreak.ingest.auth.bearer-token-file=" + token).run((context) -> {
			Credentials credentials = context.getBean(AuthProperties.class).credentials();
			assertThat(credentials.accept("Bearer from-a-file")).isTrue();
			assertThat(credentials.accept("Bearer from-a-file\n")).isTrue();
			assertThat(credentials.accept("Bearer other")).isFalse();
		});
	}

	@Test
	void refusesUnauthenticatedAccessTogetherWithCredentials() {
		this.contextRunner
			.withPropertyValues("firebreak.ingest.auth.bearer-token=a",
					"firebreak.ingest.auth.allow-unauthenticated=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("contradicts"));
	}

	@org.springframework.boot.context.properties.EnableConfigurationProperties(AuthProperties.class)
	static class Binding {

	}

}
