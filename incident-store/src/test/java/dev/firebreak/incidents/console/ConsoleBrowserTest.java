package dev.firebreak.incidents.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.CommandType;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.RemediationStatus;
import dev.firebreak.schemas.fixtures.IncidentCommands;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.KafkaRecords;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser (Debian's chromium, headless, driven by Selenium) on the
 * whole service: a broker of its own and a real PostgreSQL. Viewers see no action and the
 * server refuses the ones they forge; an operator acknowledges and approves and sees the
 * incident change; a form without its CSRF token is refused. Screenshots of the list and
 * the incident page are kept under {@code target/screenshots}.
 */
class ConsoleBrowserTest extends ConsoleService {

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private ChromeDriver browser;

	private WebDriverWait wait;

	@BeforeEach
	void openBrowser() {
		open(new ChromeOptions());
	}

	/** Debian's chromium, headless, through Debian's driver (no driver download). */
	private void open(ChromeOptions options) {
		if (this.browser != null) {
			this.browser.quit();
		}
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
			.usingAnyFreePort()
			.build();
		options.setBinary("/usr/bin/chromium")
			.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
		this.browser = new ChromeDriver(service, options);
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(30));
	}

	@AfterEach
	void closeBrowser() {
		this.browser.quit();
	}

	@Test
	void aViewerSeesNoActionAndTheServerRefusesTheOnesForged() {
		String id = incident("DiskFilling", "ledger");
		signIn(VIEWER, "/console/incidents/" + id);

		assertThat(this.browser.findElement(By.id("status")).getText()).isEqualTo("OPEN");
		assertThat(this.browser.findElements(By.id("acknowledge"))).isEmpty();
		assertThat(this.browser.findElements(By.cssSelector("form[action$='/resolve']"))).isEmpty();
		// Forged: a form of the operator's, with this session's valid CSRF token.
		forge("/console/incidents/" + id + "/acknowledge", true);
		assertThat(this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("refused"))).getText())
			.isEqualTo("Refused (403)");

		assertThat(commands(id, CommandType.ACKNOWLEDGE)).isEmpty();
		assertThat(this.queries.status(id)).contains("OPEN");
	}

	@Test
	void anOperatorAcknowledgesAndApprovesAndSeesTheIncidentChange() throws IOException {
		signIn(OPERATOR, "/console/incidents");
		String id = incident("ServiceDown", "checkout");
		// The list is live: the new incident appears without a reload.
		WebElement row = this.wait
			.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-id='" + id + "']")));
		assertThat(row.getText()).contains("SEV2").contains("OPEN").contains("ServiceDown on checkout");
		screenshot("incident-list.png");

		row.findElement(By.tagName("a")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("acknowledge")));
		this.browser.findElement(By.cssSelector("form[action$='/acknowledge'] input[name='note']")).sendKeys("on it");
		this.browser.findElement(By.id("acknowledge")).click();
		assertThat(flash()).startsWith("Acknowledged");
		reloadUntil(() -> this.browser.findElement(By.id("status")).getText().equals("ACKNOWLEDGED"));
		assertThat(this.browser.findElement(By.id("acknowledged-by")).getText()).isEqualTo("olivia");
		assertThat(this.browser.findElement(By.id("timeline")).getText()).contains("Acknowledged by olivia\non it");

		// The engine asks for approval (this test stands in for it on the commands
		// topic),
		// with a remediation id of the engine's shape: incident, event sequence, runbook.
		String remediationId = id + ".1.restart-service";
		IncidentCommand asking = IncidentCommands
			.remediation(id, "restart-service", RemediationStatus.AWAITING_APPROVAL)
			.build();
		asking.getRemediation().setRemediationId(remediationId);
		asking.getRemediation().setAction("kubernetes.rollout-restart");
		asking.getRemediation().setTarget("deployment/checkout");
		KafkaRecords.produce(BROKER, Topics.INCIDENT_COMMANDS, Map.entry(id, asking));
		reloadUntil(() -> !this.browser.findElements(By.cssSelector("button.approve")).isEmpty());
		String plan = this.browser.findElement(By.cssSelector("tr.plan")).getText();
		assertThat(plan).contains("Runbook\nrestart-service")
			.contains("Action\nkubernetes.rollout-restart")
			.contains("Target\ndeployment/checkout")
			.contains("Dry run\nno: it changes the target");
		screenshot("incident-page.png");

		this.browser.findElement(By.cssSelector("button.approve")).click();
		assertThat(flash()).startsWith("Approved remediation " + remediationId);
		IncidentCommand approval = Eventually.within(Duration.ofSeconds(30))
			.until(() -> commands(id, CommandType.APPROVE_REMEDIATION), (found) -> found.size() == 1)
			.get(0);
		assertThat(approval.getActor().getName()).isEqualTo("olivia");
		assertThat(approval.getDecision().getRemediationId()).isEqualTo(remediationId);

		// The engine runs it on the approval and says so; the page shows it ran.
		IncidentCommand ran = IncidentCommands.remediation(id, "restart-service", RemediationStatus.SUCCEEDED).build();
		ran.getRemediation().setRemediationId(remediationId);
		ran.getRemediation().setAction("kubernetes.rollout-restart");
		ran.getRemediation().setTarget("deployment/checkout");
		KafkaRecords.produce(BROKER, Topics.INCIDENT_COMMANDS, Map.entry(id, ran));
		reloadUntil(
				() -> this.browser.findElement(By.cssSelector(".remediation-status")).getText().equals("SUCCEEDED"));
		assertThat(this.browser.findElement(By.id("timeline")).getText())
			.contains("Remediation " + remediationId + " approved by olivia")
			.contains("Runbook restart-service succeeded on deployment/checkout");
		assertThat(this.browser.findElements(By.cssSelector("button.approve"))).isEmpty();
	}

	@Test
	void aFormWithoutItsCsrfTokenIsRefused() {
		String id = incident("QueueBacklog", "billing");
		signIn(OPERATOR, "/console/incidents/" + id);
		assertThat(this.browser.findElements(By.id("acknowledge"))).hasSize(1);

		forge("/console/incidents/" + id + "/acknowledge", false);
		assertThat(this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("refused"))).getText())
			.isEqualTo("Refused (403)");
		assertThat(commands(id, CommandType.ACKNOWLEDGE)).isEmpty();

		// The same session with its token is let through: only the token was missing.
		this.browser.get(url("/console/incidents/" + id));
		this.browser.findElement(By.id("acknowledge")).click();
		assertThat(flash()).startsWith("Acknowledged");
		assertThat(commands(id, CommandType.ACKNOWLEDGE)).hasSize(1);
	}

	@Test
	void anOperatorPreviewsAMaintenanceWindowCreatesItAndEndsIt() {
		String covered = incident("ReplicationLag", "inventory-db");
		String other = incident("ReplicationLag", "orders-db");
		signIn(OPERATOR, "/console/maintenance");

		this.browser.findElement(By.name("id")).sendKeys("inventory-upgrade");
		this.browser.findElement(By.name("matchers")).sendKeys("service=\"inventory-db\"");
		this.browser.findElement(By.name("reason")).sendKeys("PostgreSQL 17 upgrade");
		this.browser.findElement(By.id("preview")).click();
		WebElement preview = this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("covered")));
		assertThat(preview.findElement(By.tagName("h3")).getText()).isEqualTo("1 open incident(s) covered from now");
		assertThat(preview.findElements(By.cssSelector("a[href$='/console/incidents/" + covered + "']"))).hasSize(1);
		assertThat(preview.findElements(By.cssSelector("a[href$='/console/incidents/" + other + "']"))).isEmpty();
		// The preview keeps what was typed; nothing was created yet.
		assertThat(this.browser.findElement(By.name("id")).getAttribute("value")).isEqualTo("inventory-upgrade");
		assertThat(this.browser.findElements(By.cssSelector("tr[data-window='inventory-upgrade']"))).isEmpty();

		this.browser.findElement(By.id("create")).click();
		assertThat(flash()).startsWith("Maintenance window inventory-upgrade added");
		reloadUntil(() -> !this.browser.findElements(By.cssSelector("tr[data-window='inventory-upgrade']")).isEmpty());
		List<WebElement> cells = this.browser.findElements(By.cssSelector("tr[data-window='inventory-upgrade'] td"));
		assertThat(cells.get(1).getText()).isEqualTo("service=\"inventory-db\"");
		assertThat(cells.get(3).getText()).isEqualTo("console or API");
		assertThat(cells.get(4).getText()).isEqualTo("on");
		this.browser.get(url("/console/incidents/" + covered));
		reloadUntil(
				() -> !this.browser.findElements(By.xpath("//span[@class='flag' and text()='maintenance']")).isEmpty());

		this.browser.get(url("/console/maintenance"));
		this.browser.findElement(By.cssSelector("tr[data-window='inventory-upgrade'] button")).click();
		assertThat(flash()).startsWith("Maintenance window inventory-upgrade ended");
		reloadUntil(() -> this.browser.findElements(By.cssSelector("tr[data-window='inventory-upgrade']")).isEmpty());
	}

	@Test
	void anAdminTurnsTheKillSwitchOnThroughRemediationEngineAsThemselves() {
		signIn(ADMIN, "/console/remediation");
		assertThat(this.browser.findElement(By.id("kill-switch")).getText())
			.isEqualTo("Off: runbooks run behind their guardrails.");
		assertThat(this.browser.findElement(By.tagName("main")).getText())
			.contains("restart-service: 3 failures in a row");

		int switched = ENGINE.received().size();
		this.browser.findElement(By.id("turn")).click();
		assertThat(flash()).isEqualTo("The kill switch is on: no runbook runs (recorded as console for ada)");
		assertThat(this.browser.findElement(By.id("kill-switch")).getText()).isEqualTo("On: no runbook runs anywhere.");
		assertThat(ENGINE.received()).hasSize(switched + 1);
		assertThat(ENGINE.received().get(switched).toString())
			.isEqualTo("{\"killSwitch\":true,\"onBehalfOf\":\"ada\"}");
	}

	@Test
	void theListAndAnIncidentReadWithoutJavaScriptAndOnAPhone() throws IOException {
		open(new ChromeOptions().setExperimentalOption("prefs",
				Map.of("profile.managed_default_content_settings.javascript", 2)));
		String id = incident("CertificateExpiring", "payments-gateway-with-a-rather-long-service-name");
		signIn(OPERATOR, "/console/incidents");
		assertThat(this.browser.findElement(By.cssSelector("tr[data-id='" + id + "']")).getText())
			.contains("CertificateExpiring");

		this.browser.manage().window().setSize(new Dimension(390, 844));
		this.browser.get(url("/console/incidents/" + id));
		assertThat(this.browser.findElement(By.id("status")).getText()).isEqualTo("OPEN");
		assertThat(this.browser.findElement(By.id("timeline")).getText()).contains("Opened: CertificateExpiring");
		this.browser.findElement(By.id("acknowledge")).click();
		assertThat(flash()).startsWith("Acknowledged");
		screenshot("incident-page-phone.png");
		// Nothing is wider than the phone: no sideways scrolling of the page.
		Number scroll = (Number) ((JavascriptExecutor) this.browser)
			.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
		assertThat(scroll.intValue()).isLessThanOrEqualTo(0);
	}

	@Test
	void aWrongTokenDoesNotSignIn() {
		this.browser.get(url("/console/incidents"));
		assertThat(this.browser.getCurrentUrl()).endsWith("/console/login");
		this.browser.findElement(By.id("token")).sendKeys("not-a-token-0123456789");
		this.browser.findElement(By.cssSelector("button[type='submit']")).click();
		assertThat(this.browser.findElement(By.cssSelector(".flash.refused")).getText())
			.isEqualTo("That token is not known.");
		this.browser.get(url("/console/incidents"));
		assertThat(this.browser.getCurrentUrl()).endsWith("/console/login");
	}

	/** What the page says about the action just taken: "done ..." or "refused ...". */
	private String flash() {
		WebElement flash;
		try {
			flash = this.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".flash")));
		}
		catch (org.openqa.selenium.TimeoutException ex) {
			throw new AssertionError(
					"No outcome on " + this.browser.getCurrentUrl() + ":\n" + this.browser.getPageSource(), ex);
		}
		return (flash.getAttribute("class").contains("done") ? "" : "refused: ") + flash.getText();
	}

	/** Opens a page, is sent to sign in, signs in, and lands on the page. */
	private void signIn(String token, String path) {
		this.browser.get(url(path));
		this.wait.until(ExpectedConditions.urlContains("/console/login"));
		this.browser.findElement(By.id("token")).sendKeys(token);
		this.browser.findElement(By.cssSelector("button[type='submit']")).click();
		this.wait.until(ExpectedConditions.urlContains(path));
		assertThat(this.browser.manage().getCookieNamed("FIREBREAK_SESSION")).satisfies((cookie) -> {
			assertThat(cookie.isHttpOnly()).isTrue();
			assertThat(cookie.getSameSite()).isEqualTo("Strict");
		});
	}

	/** Posts a form the page did not offer, with or without this session's CSRF token. */
	private void forge(String path, boolean withToken) {
		((JavascriptExecutor) this.browser).executeScript("""
				const form = document.createElement('form');
				form.method = 'post';
				form.action = arguments[0];
				const token = document.querySelector('input[name="_csrf"]');
				if (arguments[1] && token) { form.appendChild(token.cloneNode()); }
				document.body.appendChild(form);
				form.submit();
				""", path, withToken);
	}

	private void reloadUntil(java.util.function.BooleanSupplier shown) {
		Eventually.within(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
			this.browser.navigate().refresh();
			return shown.getAsBoolean();
		});
	}

	private void screenshot(String name) throws IOException {
		Files.createDirectories(SCREENSHOTS);
		Path shot = this.browser.getScreenshotAs(OutputType.FILE).toPath();
		Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
	}

}
