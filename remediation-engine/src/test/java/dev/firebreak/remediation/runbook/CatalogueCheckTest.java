package dev.firebreak.remediation.runbook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./firebreak runbooks check DIR} on a directory as a user writes one. */
class CatalogueCheckTest {

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@Test
	void aValidDirectorySaysWhatEachRunbookAnswersAndWhatToConfigure(@TempDir Path dir) throws IOException {
		Files.writeString(dir.resolve("awx.yaml"), """
				id: restart-via-awx
				match: { labels: { alertname: ServiceDown }, regex: { job: "api|web" } }
				action:
				  type: http
				  url: "https://awx.example/api/v2/job_templates/7/launch/"
				  headers: { Authorization: "Bearer ${secret:awx-token}" }
				guardrails: { dryRun: false, cooldown: 15m, maxAttempts: 1, approvalRequired: true }
				""");
		Files.writeString(dir.resolve("queries.yml"), """
				id: kill-queries
				match: { labels: { alertname: DatabaseConnectionsHigh } }
				action: { type: postgres, datasource: reporting, operation: terminate-long-running, olderThan: 5m }
				""");

		assertThat(check(dir)).isZero();
		assertThat(text(this.out)).isEqualTo("""
				ok  restart-via-awx (awx.yaml): http, answers {alertname=ServiceDown, job=~api|web}, LIVE, with approval
				ok  kill-queries (queries.yml): postgres, answers {alertname=DatabaseConnectionsHigh}, dry
				2 runbooks valid.
				Configure the secrets they name: firebreak.remediation.secrets.awx-token
				Configure the data sources they name: firebreak.remediation.datasources.reporting
				""");
		assertThat(text(this.err)).isEmpty();
	}

	@Test
	void everyProblemIsPrintedWithItsFileAndFieldAndTheCheckFails(@TempDir Path dir) throws IOException {
		Files.writeString(dir.resolve("broken.yaml"), """
				id: Broken
				match: { labels: { alertname: X } }
				action: { type: kubernetes, operation: drain-node, namespace: ops, name: node-1 }
				""");

		assertThat(check(dir)).isEqualTo(1);
		assertThat(text(this.err)).isEqualTo(
				"""
						%1$s: id: 'Broken' does not match the regex pattern ^[a-z0-9][a-z0-9-]{0,62}$
						%1$s: action.operation: 'drain-node' does not have a value in the enumeration ["rollout-restart", "scale", "delete-pod", "pod-status", "logs"]
						2 problems: nothing in %2$s would load.
						"""
					.formatted(dir.resolve("broken.yaml"), dir));
		assertThat(text(this.out)).isEmpty();
	}

	private int check(Path dir) {
		return CatalogueCheck.check(dir, new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private static String text(ByteArrayOutputStream stream) {
		return stream.toString(StandardCharsets.UTF_8);
	}

}
