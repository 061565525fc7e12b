package dev.firebreak.remediation.api;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.firebreak.remediation.engine.RemediationEngine;
import dev.firebreak.remediation.runbook.Runbook;
import dev.firebreak.remediation.runbook.Step;
import dev.firebreak.schemas.avro.Severity;

/**
 * The runbook catalogue as loaded, read-only: {@code GET /api/v1/runbooks[/{id}]}; and a
 * runbook tried on an alert's labels: {@code POST /api/v1/runbooks/{id}/dry-run}.
 */
@RestController
@RequestMapping("/api/v1/runbooks")
class RunbookController {

	private static final int MAX_LABELS = 64;

	private static final int MAX_VALUE = 1024;

	private static final Pattern INCIDENT_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

	private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,127}");

	private final RemediationEngine engine;

	RunbookController(RemediationEngine engine) {
		this.engine = engine;
	}

	@GetMapping
	List<RunbookView> list() {
		Map<String, String> circuits = this.engine.openCircuits();
		return this.engine.catalogue().stream().map((runbook) -> RunbookView.of(runbook, circuits)).toList();
	}

	@GetMapping("/{id}")
	RunbookView one(@PathVariable String id) {
		return RunbookView.of(runbook(id), this.engine.openCircuits());
	}

	/**
	 * What the runbook would do for a firing alert with these labels, or for an incident
	 * the engine knows, without doing it: whether it answers the alert, the values its
	 * templates take, and its steps' own dry run (which reads their targets, never
	 * changes them; diagnostic steps, which only read, run).
	 */
	@PostMapping("/{id}/dry-run")
	RemediationEngine.Trial dryRun(@PathVariable String id, @RequestBody(required = false) TrialRequest request) {
		if (request != null && request.incidentId() != null && !INCIDENT_ID.matcher(request.incidentId()).matches()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"'" + request.incidentId() + "' is not an incident id such as INC-20261201-0001");
		}
		if (request != null && request.incidentId() != null && (request.labels() == null)) {
			return this.engine.tryRunbook(runbook(id), request.incidentId())
				.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
						"No incident " + request.incidentId() + " with alerts is known to the engine (it reads "
								+ "firebreak.incidents; resolved incidents are forgotten a day after)"));
		}
		if (request == null || request.labels() == null || request.labels().isEmpty()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"give an incident's id, {\"incidentId\": \"INC-20261201-0001\"}, or an alert's labels: "
							+ "{\"labels\": {\"alertname\": \"ServiceDown\", ...}}");
		}
		if (request.labels().size() > MAX_LABELS) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "at most " + MAX_LABELS + " labels");
		}
		request.labels().forEach((name, value) -> {
			if (!LABEL_NAME.matcher(name).matches() || value == null || value.length() > MAX_VALUE) {
				throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "label '" + name
						+ "' needs a Prometheus label name and a text value of at most " + MAX_VALUE + " characters");
			}
		});
		Severity severity;
		try {
			severity = (request.severity() != null) ? Severity.valueOf(request.severity()) : Severity.SEV3;
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"'" + request.severity() + "' is not SEV1, SEV2, SEV3 or SEV4");
		}
		String incidentId = (request.incidentId() != null) ? request.incidentId() : "INC-00000000-0000";
		return this.engine.tryRunbook(runbook(id), request.labels(), severity, incidentId);
	}

	/**
	 * @param labels the alert's labels; without them, the incident's alerts
	 * @param severity the incident's (default SEV3), for runbooks that match on it
	 * @param incidentId the incident to try it on, or, with labels, for
	 * {@code {{incident.id}}}
	 */
	record TrialRequest(Map<String, String> labels, String severity, String incidentId) {
	}

	private Runbook runbook(String id) {
		return this.engine.catalogue()
			.stream()
			.filter((runbook) -> runbook.id().equals(id))
			.findFirst()
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No runbook " + id));
	}

	/** A runbook as an operator reads it. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record RunbookView(String id, String description, Map<String, Object> match, Map<String, Object> action,
			List<Map<String, Object>> steps, String target, Map<String, String> parameters,
			Map<String, Object> guardrails, String verificationWindow, String circuitOpen, String source) {

		/**
		 * A step's action as written; with its name and how it runs when the runbook has
		 * more than one.
		 */
		private static Map<String, Object> step(Step step, boolean alone) {
			Map<String, Object> action = new TreeMap<>();
			step.action().templates().forEach((name, template) -> action.put(name, template.toString()));
			action.putAll(step.action().settings());
			action.put("type", step.action().type());
			action.put("timeout", step.action().timeout().toString());
			if (alone) {
				return action;
			}
			Map<String, Object> view = new TreeMap<>(Map.of("name", step.name(), "action", action, "diagnostic",
					step.diagnostic(), "continueOnFailure", step.continueOnFailure()));
			if (step.when() != null) {
				view.put("when", step.when().toString());
			}
			if (step.delay() != null) {
				view.put("delay", step.delay().toString());
			}
			return view;
		}

		static RunbookView of(Runbook runbook, Map<String, String> circuits) {
			Map<String, Object> match = new TreeMap<>();
			match.put("labels", runbook.match().labels());
			Map<String, String> regex = new TreeMap<>();
			runbook.match().regex().forEach((name, pattern) -> regex.put(name, pattern.pattern()));
			match.put("regex", regex);
			match.put("severities", runbook.match().severities().stream().map(Enum::name).sorted().toList());
			match.put("status", runbook.match().status().name());
			boolean alone = runbook.steps().size() == 1;
			List<Map<String, Object>> steps = runbook.steps().stream().map((step) -> step(step, alone)).toList();
			Map<String, String> parameters = new TreeMap<>();
			runbook.parameters().forEach((name, pattern) -> parameters.put(name, pattern.pattern()));
			Runbook.Guardrails rails = runbook.guardrails();
			Map<String, Object> guardrails = new TreeMap<>(Map.of("dryRun", rails.dryRun(), "cooldown",
					rails.cooldown().toString(), "maxAttempts", rails.maxAttempts(), "approvalRequired",
					rails.approvalRequired(), "idempotent", rails.idempotent()));
			return new RunbookView(runbook.id(), runbook.description(), match, alone ? steps.get(0) : null,
					alone ? null : steps, (runbook.target() != null) ? runbook.target().toString() : null, parameters,
					guardrails, runbook.verificationWindow().toString(), circuits.get(runbook.id()), runbook.source());
		}

	}

}
