package dev.firebreak.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.firebreak.testkit.TestInfrastructure.Backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TestInfrastructureTest {

	@AfterEach
	void clearProperty() {
		System.clearProperty(TestInfrastructure.BACKEND_PROPERTY);
	}

	@Test
	void runsEmbeddedUnlessContainersAreAskedFor() {
		assertThat(TestInfrastructure.requested()).isEqualTo(Backend.EMBEDDED);
	}

	@Test
	void fallsBackToEmbeddedWhenNoDockerEngineAnswers() {
		assertThat(TestInfrastructure.resolve(Backend.CONTAINERS, () -> false)).isEqualTo(Backend.EMBEDDED);
		assertThat(TestInfrastructure.resolve(Backend.CONTAINERS, () -> true)).isEqualTo(Backend.CONTAINERS);
	}

	@Test
	void findsOutWhetherDockerAnswersWithoutHanging() {
		System.setProperty(TestInfrastructure.BACKEND_PROPERTY, "containers");
		long started = System.nanoTime();

		Backend backend = TestInfrastructure.backend();

		assertThat(backend).isIn(Backend.EMBEDDED, Backend.CONTAINERS);
		assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
			.isLessThan(java.time.Duration.ofSeconds(30));
	}

	@Test
	void namesTheChoicesOfABadBackend() {
		System.setProperty(TestInfrastructure.BACKEND_PROPERTY, "podman");

		assertThatIllegalArgumentException().isThrownBy(TestInfrastructure::requested)
			.withMessageContaining("[EMBEDDED, CONTAINERS]");
	}

}
