package dev.firebreak.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SecretTest {

	@TempDir
	Path directory;

	@Test
	void neverPrintsItself() {
		Secret secret = Secret.of("s3cr3t-token");

		assertThat(secret.toString()).doesNotContain("s3cr3t");
		assertThat("" + java.util.Map.of("token", secret)).doesNotContain("s3cr3t");
	}

	@Test
	void matchesOnlyTheSameCredential() {
		Secret secret = Secret.of("s3cr3t-token");

		assertThat(secret.matches("s3cr3t-token")).isTrue();
		assertThat(secret.matches("s3cr3t-tokem")).isFalse();
		assertThat(secret.matches("s3cr3t")).isFalse();
		assertThat(secret.matches("")).isFalse();
		assertThat(secret.matches(null)).isFalse();
	}

	@Test
	void readsAFileWithoutItsTrailingNewline() throws IOException {
		Path file = Files.writeString(this.directory.resolve("token"), "from-file\n");

		assertThat(Secret.resolve("firebreak.token", null, file)).get()
			.extracting(Secret::value)
			.isEqualTo("from-file");
	}

	@Test
	void isAbsentWhenNeitherIsSet() {
		assertThat(Secret.resolve("firebreak.token", "", null)).isEmpty();
	}

	@Test
	void refusesBothInlineAndFile() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Secret.resolve("firebreak.token", "x", this.directory.resolve("token")))
			.withMessage("at most one of firebreak.token and firebreak.token-file");
	}

	@Test
	void namesTheFileItCannotRead() {
		Path missing = this.directory.resolve("missing");

		assertThatIllegalArgumentException().isThrownBy(() -> Secret.resolve("firebreak.token", null, missing))
			.withMessageContaining("firebreak.token-file: cannot read " + missing);
	}

	@Test
	void refusesAnEmptyFile() throws IOException {
		Path empty = Files.writeString(this.directory.resolve("empty"), "\n");

		assertThatIllegalArgumentException().isThrownBy(() -> Secret.resolve("firebreak.token", null, empty))
			.withMessageContaining("is empty");
	}

}
