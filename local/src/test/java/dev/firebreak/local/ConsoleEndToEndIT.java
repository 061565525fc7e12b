package dev.firebreak.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.Teardown;

import static dev.firebreak.testkit.KafkaBroker.freePort;
import static dev.firebreak.testkit.PackagedServices.randomHex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An approval given in the console runs the runbook: the packaged alert-ingest,
 * incident-store and remediation-engine on a real broker and PostgreSQL, a runbook that
 * needs an operator's approval, and an operator in a real browser (headless chromium) who
 * sees what would run, approves it, and sees it run and succeed once the alert clears.
 */
class ConsoleEndToEndIT {

	private static final List<String> SERVICES = List.of("incident-store", "remediation-engine", "alert-ingest");

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Teardown started = new Teardown();

	private ChromeDriver browser;

	@AfterEach
	void stopEverything() {
		if (this.browser != null) {
			this.browser.quit();
		}
		this.started.close();
	}

	@Test
	void anApprovalGivenInTheConsoleRunsTheRunbook(@TempDir Path work) throws Exception {
		Path flushed = work.resolve("flushed");
		Path runbooks = Files.createDirectories(work.resolve("runbooks"));
		Files.writeString(runbooks.resolve("flush-cache.yaml"), """
				id: flush-cache
				description: Flush a full cache, once an operator approves
				match: { labels: { alertname: CacheFull } }
				action: { type: command, argv: [/bin/sh, -c, 'echo flushed >> "%s"'], timeout: 10s }
				guardrails: { dryRun: false, cooldown: 10m, maxAttempts: 1, approvalRequired: true }
				verification: { window: 2m }
				""".formatted(flushed));
		LocalInfrastructure infrastructure = this.started
			.add(LocalInfrastructure.start(work.resolve("data"), freePort(), freePort(), freePort()));
		Path secrets = Files.createDirectories(work.resolve("secrets"));
		String operatorToken = randomHex(24);
		String senderToken = randomHex(24);
		Map<String, Integer> ports = Map.of("incident-store", freePort(), "remediation-engine", freePort(),
				"alert-ingest", freePort());
		Map<String, List<String>> settings = Map.of("incident-store",
				List.of("--firebreak.security.tokens[0].name=olivia",
						"--firebreak.security.tokens[0].token-file="
								+ Files.writeString(secrets.resolve("operator-token"), operatorToken),
						"--firebreak.security.tokens[0].role=operator",
						"--spring.kafka.streams.state-dir=" + work.resolve("streams")),
				"remediation-engine",
				List.of("--firebreak.remediation.runbooks=" + runbooks, "--firebreak.remediation.dry-run=false",
						"--firebreak.security.tokens[0].name=admin",
						"--firebreak.security.tokens[0].token=" + randomHex(24),
						"--firebreak.security.tokens[0].role=admin"),
				"alert-ingest",
				List.of("--firebreak.security.tokens[0].name=alertmanager",
						"--firebreak.security.tokens[0].token-file="
								+ Files.writeString(secrets.resolve("sender-token"), senderToken),
						"--firebreak.security.tokens[0].role=sender"));
		PackagedPipeline.start(infrastructure, SERVICES, ports, settings, work.resolve("logs"), this.started,
				Duration.ofMinutes(3));
		String ingest = "http://127.0.0.1:" + ports.get("alert-ingest") + "/api/v1/alerts/alertmanager";
		String console = "http://127.0.0.1:" + ports.get("incident-store") + "/console";
		assertThat(post(ingest, senderToken, alert("firing", "0001-01-01T00:00:00Z")).statusCode()).isBetween(200, 299);

		this.browser = chromium();
		WebDriverWait wait = new WebDriverWait(this.browser, Duration.ofSeconds(30));
		this.browser.get(console + "/incidents");
		this.browser.findElement(By.id("token")).sendKeys(operatorToken);
		this.browser.findElement(By.cssSelector("button[type='submit']")).click();
		wait.until(ExpectedConditions.urlContains("/console/incidents"));
		Eventually.within(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			this.browser.navigate().refresh();
			return !this.browser.findElements(By.linkText("CacheFull: cache-1 is full")).isEmpty();
		});
		this.browser.findElement(By.linkText("CacheFull: cache-1 is full")).click();

		// The engine asks; the page shows exactly what would run, and nothing has yet.
		Eventually.within(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			this.browser.navigate().refresh();
			return !this.browser.findElements(By.cssSelector("button.approve")).isEmpty();
		});
		String plan = this.browser.findElement(By.cssSelector("tr.plan")).getText();
		assertThat(plan).contains("Runbook\nflush-cache").contains("Dry run\nno: it changes the target");
		Eventually.within(Duration.ofSeconds(5)).during(Duration.ofSeconds(3)).until(() -> !Files.exists(flushed));

		this.browser.findElement(By.cssSelector("button.approve")).click();
		assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".flash.done"))).getText())
			.startsWith("Approved remediation ");
		Eventually.within(Duration.ofMinutes(1)).until(() -> Files.exists(flushed));
		assertThat(Files.readAllLines(flushed)).containsExactly("flushed");

		// The alert clears: the remediation is verified, and the page says it all.
		assertThat(post(ingest, senderToken, alert("resolved", Instant.now().toString())).statusCode()).isBetween(200,
				299);
		Eventually.within(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			this.browser.navigate().refresh();
			return this.browser.findElement(By.cssSelector(".remediation-status")).getText().equals("SUCCEEDED");
		});
		assertThat(this.browser.findElement(By.id("timeline")).getText()).contains("approved by olivia")
			.contains("Runbook flush-cache succeeded");
		assertThat(Files.readAllLines(flushed)).as("run once").containsExactly("flushed");
	}

	private static ChromeDriver chromium() {
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, new ChromeOptions().setBinary("/usr/bin/chromium")
			.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"));
	}

	private static String alert(String status, String endsAt) {
		return """
				{"version": "4", "status": "%s", "receiver": "firebreak", "groupKey": "{}:{alertname=\\"CacheFull\\"}",
				 "groupLabels": {"alertname": "CacheFull"}, "commonLabels": {}, "commonAnnotations": {},
				 "externalURL": "http://alertmanager:9093",
				 "alerts": [{"status": "%s", "fingerprint": "cace0000cace0001",
				   "labels": {"alertname": "CacheFull", "severity": "warning", "service": "cache",
				              "instance": "cache-1"},
				   "annotations": {"summary": "cache-1 is full"},
				   "startsAt": "%s", "endsAt": "%s"}]}
				""".formatted(status, status, Instant.now().minusSeconds(60), endsAt);
	}

	private static HttpResponse<String> post(String url, String token, String body) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
