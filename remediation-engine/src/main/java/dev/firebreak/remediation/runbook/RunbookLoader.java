package dev.firebreak.remediation.runbook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import org.springframework.boot.convert.DurationStyle;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import dev.firebreak.platform.Secret;
import dev.firebreak.remediation.action.KubernetesAction;
import dev.firebreak.remediation.action.PostgresAction;
import dev.firebreak.remediation.action.Template;
import dev.firebreak.schemas.avro.AlertStatus;
import dev.firebreak.schemas.avro.Severity;

/**
 * Reads runbooks from YAML, one per file, and validates every field. Every problem of
 * every file is collected and reported together, each naming its file and field, so that
 * an invalid catalogue fails startup with the whole list.
 */
public final class RunbookLoader {

	/** The default catalogue's files, on the classpath under {@code runbooks/}. */
	static final List<String> DEFAULT_CATALOGUE = List.of("restart-service.yaml", "terminate-long-queries.yaml",
			"terminate-idle-transactions.yaml", "clean-up-logs.yaml", "restart-container.yaml",
			"renew-certificate.yaml", "scale-out.yaml", "scale-workers.yaml", "restart-workers.yaml",
			"optimise-resources.yaml", "retry-backup.yaml", "reset-stuck-jobs.yaml", "restart-application.yaml",
			"restart-database.yaml", "restart-redis.yaml", "rerun-etl-job.yaml", "scale-out-web.yaml",
			"restart-web-stack.yaml", "rollout-restart-application.yaml");

	private static final YAMLMapper YAML = YAMLMapper.builder().build();

	private static final Set<String> TOP_LEVEL = Set.of("id", "description", "match", "action", "steps", "target",
			"parameters", "guardrails", "verification", "onFailure");

	/**
	 * Per action type, the parameters that must be written out: no value from an alert
	 * may choose a statement, a root, a glob, the variables passed on or the method.
	 */
	private static final Map<String, Set<String>> LITERAL = Map.of("command", Set.of("environment", "workingDirectory"),
			"http", Set.of("method"), "postgres", Set.of("datasource", "operation", "state", "olderThan", "statement"),
			"file-cleanup", Set.of("root", "glob", "olderThan"), "kubernetes",
			Set.of("operation", "kind", "replicas", "maxReplicas"));

	private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

	private RunbookLoader() {
	}

	/** The catalogue that ships with the service; it refers to no secret. */
	public static List<Runbook> defaults() {
		Map<String, String> files = new LinkedHashMap<>();
		for (String name : DEFAULT_CATALOGUE) {
			try (InputStream in = RunbookLoader.class.getResourceAsStream("/runbooks/" + name)) {
				if (in == null) {
					throw new IllegalStateException("runbooks/" + name + " is missing from the classpath");
				}
				files.put("classpath:runbooks/" + name,
						new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return parse(files, Map.of());
	}

	/**
	 * Every {@code *.yaml} and {@code *.yml} file of a directory.
	 * @param secrets the secrets runbooks may refer to ({@code ${secret:name}})
	 */
	public static List<Runbook> directory(Path directory, Map<String, Secret> secrets) {
		Map<String, String> files = new LinkedHashMap<>();
		try (Stream<Path> entries = Files.list(directory)) {
			for (Path file : entries.filter((path) -> path.toString().matches(".*\\.ya?ml$")).sorted().toList()) {
				files.put(file.toString(), Files.readString(file));
			}
		}
		catch (IOException ex) {
			throw new InvalidCatalogueException(List.of(directory + ": cannot be read: " + ex.getMessage()));
		}
		if (files.isEmpty()) {
			throw new InvalidCatalogueException(List.of(directory + ": holds no .yaml runbook"));
		}
		return parse(files, secrets);
	}

	/**
	 * Runbooks from YAML texts by source name, referring to no secret.
	 * @throws InvalidCatalogueException listing every problem
	 */
	public static List<Runbook> parse(Map<String, String> files) {
		return parse(files, Map.of());
	}

	/**
	 * Runbooks from YAML texts by source name.
	 * @param secrets the secrets runbooks may refer to ({@code ${secret:name}})
	 * @throws InvalidCatalogueException listing every problem
	 */
	public static List<Runbook> parse(Map<String, String> files, Map<String, Secret> secrets) {
		List<String> problems = new ArrayList<>();
		List<Runbook> runbooks = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		files.forEach((source, text) -> {
			Reader reader = new Reader(source, problems, secrets);
			try {
				Runbook runbook = reader.runbook(YAML.readTree(text));
				if (runbook != null && !ids.add(runbook.id())) {
					problems.add(source + ": id: '" + runbook.id() + "' is used by another runbook");
				}
				else if (runbook != null) {
					runbooks.add(runbook);
				}
			}
			catch (JacksonException ex) {
				problems.add(source + ": not valid YAML: " + ex.getOriginalMessage());
			}
		});
		if (!problems.isEmpty()) {
			throw new InvalidCatalogueException(problems);
		}
		return List.copyOf(runbooks);
	}

	/**
	 * Checks that every live {@code postgres} runbook names a configured data source (a
	 * dry one says in its outcome that it has none).
	 * @throws InvalidCatalogueException listing each that does not
	 */
	public static void requireDataSources(List<Runbook> runbooks, Set<String> configured, boolean globalDryRun) {
		List<String> problems = runbooks.stream()
			.filter((runbook) -> !runbook.guardrails().dryRun() && !globalDryRun)
			.flatMap((runbook) -> dataSources(runbook).stream()
				.filter((name) -> !configured.contains(name))
				.map((name) -> runbook.source() + ": action.datasource: '" + name
						+ "' is not configured under firebreak.remediation.datasources"))
			.toList();
		if (!problems.isEmpty()) {
			throw new InvalidCatalogueException(problems);
		}
	}

	/** The data sources a runbook's postgres steps name. */
	static List<String> dataSources(Runbook runbook) {
		return runbook.actions()
			.stream()
			.filter((action) -> action.type().equals("postgres"))
			.map((action) -> action.templates().get("datasource").toString())
			.distinct()
			.toList();
	}

	/** Reads one file, noting each problem with its field. */
	private static final class Reader {

		private final String source;

		private final List<String> problems;

		private final int before;

		private final Map<String, Secret> secrets;

		Reader(String source, List<String> problems, Map<String, Secret> secrets) {
			this.source = source;
			this.problems = problems;
			this.before = problems.size();
			this.secrets = secrets;
		}

		Runbook runbook(JsonNode root) {
			if (root == null || !root.isObject()) {
				problem("", "a runbook is a YAML mapping");
				return null;
			}
			root.properties()
				.stream()
				.map(Map.Entry::getKey)
				.filter((key) -> !TOP_LEVEL.contains(key))
				.forEach((key) -> problem(key, "unknown field; known are " + new java.util.TreeSet<>(TOP_LEVEL)));
			String id = text(root, "id", true);
			if (id != null && !id.matches("[a-z0-9][a-z0-9-]{0,62}")) {
				problem("id", "'" + id + "' must be lower-case letters, digits and '-', at most 63");
			}
			String description = text(root, "description", false);
			RunbookMatch match = match(root.get("match"));
			List<Step> steps = steps(root);
			Template target = null;
			String targetText = text(root, "target", false);
			if (targetText != null) {
				try {
					target = Template.parse(targetText);
				}
				catch (IllegalArgumentException ex) {
					problem("target", ex.getMessage());
				}
			}
			Map<String, Pattern> parameters = parameters(root.get("parameters"));
			Runbook.Guardrails guardrails = guardrails(root.get("guardrails"));
			JsonNode verification = root.get("verification");
			Duration window = duration(verification, "verification.window", "window", Duration.ofMinutes(5));
			Runbook.OnFailure onFailure = onFailure(root.get("onFailure"));
			if (this.problems.size() > this.before) {
				return null;
			}
			return new Runbook(id, (description != null) ? description : id, match, steps, target, parameters,
					guardrails, window, onFailure, this.source);
		}

		/** {@code action:} (one step), or {@code steps:}, a list of named steps. */
		private List<Step> steps(JsonNode root) {
			JsonNode list = root.get("steps");
			if (list == null) {
				ActionSpec action = action(root.get("action"), "action");
				return (action != null) ? List.of(new Step(Step.SINGLE, action, null, false, false, null)) : List.of();
			}
			if (root.get("action") != null) {
				problem("action", "give either action (one step) or steps, not both");
			}
			if (!list.isArray() || list.isEmpty() || list.size() > MAX_STEPS) {
				problem("steps", "is a list of 1 to " + MAX_STEPS + " steps, each with a name and an action");
				return List.of();
			}
			List<Step> steps = new ArrayList<>();
			for (int i = 0; i < list.size(); i++) {
				Step step = step(list.get(i), "steps[" + i + "]", steps);
				if (step != null) {
					steps.add(step);
				}
			}
			return steps;
		}

		private Step step(JsonNode node, String field, List<Step> earlier) {
			if (!node.isObject()) {
				problem(field, "is a mapping: name, action, and optionally when, diagnostic, continueOnFailure, delay");
				return null;
			}
			node.properties()
				.stream()
				.map(Map.Entry::getKey)
				.filter((key) -> !STEP_FIELDS.contains(key))
				.forEach((key) -> problem(field + "." + key,
						"unknown field; known are " + new java.util.TreeSet<>(STEP_FIELDS)));
			String name = text(node, field + ".name", "name", true);
			if (name != null && !name.matches("[a-z][a-z0-9-]{0,30}")) {
				problem(field + ".name", "'" + name + "' must be lower-case letters, digits and '-', at most 31");
			}
			if (name != null && earlier.stream().anyMatch((step) -> step.name().equals(name))) {
				problem(field + ".name", "'" + name + "' names an earlier step too");
			}
			StepCondition when = null;
			String condition = text(node, field + ".when", "when", false);
			if (condition != null) {
				try {
					when = StepCondition.parse(condition);
					String step = when.step();
					if (earlier.stream().noneMatch((previous) -> previous.name().equals(step))) {
						problem(field + ".when", "'" + step + "' is not the name of an earlier step");
					}
				}
				catch (IllegalArgumentException ex) {
					problem(field + ".when", ex.getMessage());
				}
			}
			boolean diagnostic = flag(node, field, "diagnostic");
			ActionSpec action = action(node.get("action"), field + ".action");
			if (diagnostic && action != null && !readsOnly(action)) {
				problem(field + ".diagnostic",
						"a diagnostic step only reads: an http GET or a command, not "
								+ (action.type().equals("http") ? "an http " + method(action) : "a " + action.type())
								+ " action");
			}
			Duration delay = node.has("delay") ? duration(node, field + ".delay", "delay", null) : null;
			return (action != null && name != null)
					? new Step(name, action, when, flag(node, field, "continueOnFailure"), diagnostic, delay) : null;
		}

		private static boolean readsOnly(ActionSpec action) {
			return action.type().equals("command") || (action.type().equals("http") && method(action).equals("GET"));
		}

		/** An http action's method, POST unless written. */
		private static String method(ActionSpec action) {
			return String.valueOf(action.templates().getOrDefault("method", Template.parse("POST")));
		}

		private boolean flag(JsonNode node, String field, String name) {
			JsonNode value = node.get(name);
			if (value != null && !value.isBoolean()) {
				problem(field + "." + name, "must be true or false");
			}
			return value != null && value.asBoolean(false);
		}

		private static final int MAX_STEPS = 10;

		private static final Set<String> STEP_FIELDS = Set.of("name", "action", "when", "diagnostic",
				"continueOnFailure", "delay");

		private static final Set<String> INCIDENT_VALUES = Set.of("incident.id", "incident.severity", "incident.title",
				"incident.correlationKey");

		private RunbookMatch match(JsonNode node) {
			if (node == null || !node.isObject()) {
				problem("match", "is required: labels, regex, severities, status");
				return null;
			}
			Map<String, String> labels = stringMap(node.get("labels"), "match.labels");
			Map<String, Pattern> regex = new LinkedHashMap<>();
			stringMap(node.get("regex"), "match.regex").forEach((name, value) -> {
				Pattern pattern = pattern("match.regex." + name, value);
				if (pattern != null) {
					regex.put(name, pattern);
				}
			});
			if (labels.isEmpty() && regex.isEmpty()) {
				problem("match", "needs at least one label or regex: a runbook for every alert is a mistake");
			}
			Set<Severity> severities = EnumSet.noneOf(Severity.class);
			JsonNode severityNode = node.get("severities");
			if (severityNode != null) {
				for (JsonNode value : severityNode) {
					try {
						severities.add(Severity.valueOf(value.asString().toUpperCase(Locale.ROOT)));
					}
					catch (IllegalArgumentException ex) {
						problem("match.severities", "'" + value.asString() + "' is not SEV1, SEV2, SEV3 or SEV4");
					}
				}
			}
			AlertStatus status = AlertStatus.FIRING;
			String statusText = text(node, "match.status", "status", false);
			if (statusText != null) {
				try {
					status = AlertStatus.valueOf(statusText.toUpperCase(Locale.ROOT));
				}
				catch (IllegalArgumentException ex) {
					problem("match.status", "'" + statusText + "' is not FIRING or RESOLVED");
				}
			}
			return new RunbookMatch(labels, regex, severities, status);
		}

		private ActionSpec action(JsonNode node, String field) {
			if (node == null || !node.isObject()) {
				problem(field, "is required, with a type: " + ActionSpec.REQUIRED.keySet());
				return null;
			}
			String type = text(node, field + ".type", "type", true);
			if (type == null) {
				return null;
			}
			List<String> required = ActionSpec.REQUIRED.get(type);
			if (required == null) {
				problem(field + ".type",
						"'" + type + "' is not one of " + new java.util.TreeSet<>(ActionSpec.REQUIRED.keySet()));
				return null;
			}
			for (String name : required) {
				if (node.get(name) == null || node.get(name).isNull()) {
					problem(field + "." + name, "is required for a " + type + " action");
				}
			}
			Duration timeout = duration(node, field + ".timeout", "timeout", Duration.ofSeconds(30));
			Map<String, Template> templates = new LinkedHashMap<>();
			Map<String, Object> settings = new LinkedHashMap<>();
			for (Map.Entry<String, JsonNode> entry : node.properties()) {
				String name = entry.getKey();
				JsonNode value = entry.getValue();
				if (name.equals("type") || name.equals("timeout")) {
					continue;
				}
				if (type.equals("http") && name.equals("url")) {
					url(templates, field, value);
				}
				else if (value.isArray()) {
					int i = 0;
					for (JsonNode element : value) {
						template(templates, field + "." + name, name + "[" + i++ + "]", element);
					}
					if (name.equals("argv") && i == 0) {
						problem(field + ".argv", "needs at least the program");
					}
				}
				else if (value.isObject()) {
					for (Map.Entry<String, JsonNode> property : value.properties()) {
						template(templates, field + "." + name, name + "." + property.getKey(), property.getValue());
					}
				}
				else if (value.isString()) {
					template(templates, field + "." + name, name, value);
				}
				else {
					settings.put(name, value.isNumber() ? value.numberValue() : value.asBoolean());
				}
			}
			templates.forEach((name, template) -> {
				String parameter = name.replaceAll("[\\[.].*$", "");
				if (!template.references().isEmpty() && LITERAL.get(type).contains(parameter)) {
					problem(field + "." + parameter, "takes no placeholder: write it out");
				}
			});
			check(field, type, templates, settings);
			incidentValues(field, templates);
			return new ActionSpec(type, timeout, templates, settings);
		}

		private void check(String field, String type, Map<String, Template> templates, Map<String, Object> settings) {
			String operation = String.valueOf(templates.get("operation"));
			switch (type) {
				case "kubernetes" -> {
					if (!KubernetesAction.OPERATIONS.contains(operation)) {
						problem(field + ".operation", "'" + operation + "' is not one of "
								+ new java.util.TreeSet<>(KubernetesAction.OPERATIONS));
						return;
					}
					String kind = String.valueOf(templates.getOrDefault("kind", Template.parse("Deployment")));
					if (!operation.equals("delete-pod") && !KubernetesAction.KINDS.contains(kind)) {
						problem(field + ".kind",
								"'" + kind + "' is not one of " + new java.util.TreeSet<>(KubernetesAction.KINDS));
					}
					Object replicas = templates.containsKey("replicas") ? templates.get("replicas")
							: settings.get("replicas");
					if (operation.equals("scale") && (replicas == null
							|| !KubernetesAction.REPLICAS.matcher(String.valueOf(replicas)).matches())) {
						problem(field + ".replicas", "is required for scale: a count (5) or a change (+1, -1)");
					}
					Object max = settings.get("maxReplicas");
					if (max != null && !(max instanceof Integer count && count > 0 && count <= 1000)) {
						problem(field + ".maxReplicas", "'" + max + "' is not a count from 1 to 1000");
					}
				}
				case "postgres" -> {
					if (!PostgresAction.OPERATIONS.contains(operation)) {
						problem(field + ".operation", "'" + operation + "' is not one of "
								+ new java.util.TreeSet<>(PostgresAction.OPERATIONS));
					}
					else if (operation.equals("statement") && !templates.containsKey("statement")) {
						problem(field + ".statement", "is required for the statement operation");
					}
					else if (!operation.equals("statement")) {
						literalDuration(field, templates, "olderThan", true);
					}
				}
				case "file-cleanup" -> {
					literalDuration(field, templates, "olderThan", true);
					if (templates.containsKey("root") && !Path.of(templates.get("root").toString()).isAbsolute()) {
						problem(field + ".root", "must be an absolute path");
					}
				}
				case "http" -> {
					String method = method(new ActionSpec(type, Duration.ZERO, templates, settings));
					if (!HTTP_METHODS.contains(method)) {
						problem(field + ".method",
								"'" + method + "' is not one of " + new java.util.TreeSet<>(HTTP_METHODS));
					}
				}
				default -> {
				}
			}
		}

		private void incidentValues(String field, Map<String, Template> templates) {
			templates.values()
				.stream()
				.flatMap((template) -> template.references().stream())
				.filter((reference) -> reference.startsWith("incident.") && !INCIDENT_VALUES.contains(reference))
				.distinct()
				.forEach((reference) -> problem(field, reference + " is not one of " + INCIDENT_VALUES));
		}

		private void literalDuration(String field, Map<String, Template> templates, String name, boolean required) {
			Template value = templates.get(name);
			if (value == null) {
				if (required) {
					problem(field + "." + name, "is required");
				}
				return;
			}
			try {
				DurationStyle.detectAndParse(value.toString());
			}
			catch (IllegalArgumentException ex) {
				problem(field + "." + name, "'" + value + "' is not a duration such as 30s, 15m or 2h");
			}
		}

		private void template(Map<String, Template> templates, String field, String name, JsonNode value) {
			if (!value.isValueNode() || value.isNull()) {
				problem(field, "must be text");
				return;
			}
			try {
				templates.put(name, Template.parse(value.asString(), this.secrets));
			}
			catch (IllegalArgumentException ex) {
				problem(field, ex.getMessage());
			}
		}

		/**
		 * An http action's URL: where it goes is written out, never taken from an alert.
		 */
		private void url(Map<String, Template> templates, String field, JsonNode value) {
			if (!value.isString()) {
				problem(field + ".url", "must be text");
				return;
			}
			try {
				templates.put("url", Template.parseUrl(value.asString(), this.secrets));
			}
			catch (IllegalArgumentException ex) {
				problem(field + ".url", ex.getMessage());
			}
		}

		private Map<String, Pattern> parameters(JsonNode node) {
			Map<String, Pattern> parameters = new LinkedHashMap<>();
			stringMap(node, "parameters").forEach((name, value) -> {
				if (!name.matches("(labels|annotations|incident)\\.[A-Za-z_][A-Za-z0-9_]*")) {
					problem("parameters." + name, "names a value such as labels.service");
				}
				Pattern pattern = pattern("parameters." + name, value);
				if (pattern != null) {
					parameters.put(name, pattern);
				}
			});
			return parameters;
		}

		private Runbook.Guardrails guardrails(JsonNode node) {
			boolean dryRun = bool(node, "dryRun", true);
			Duration cooldown = duration(node, "guardrails.cooldown", "cooldown", Duration.ofMinutes(15));
			int maxAttempts = integer(node, "maxAttempts", 1);
			if (maxAttempts < 1) {
				problem("guardrails.maxAttempts", "must be at least 1");
			}
			if (node != null && node.isObject()) {
				node.properties()
					.stream()
					.map(Map.Entry::getKey)
					.filter((key) -> !GUARDRAILS.contains(key))
					.forEach((key) -> problem("guardrails." + key,
							"unknown field; known are " + new java.util.TreeSet<>(GUARDRAILS)));
			}
			JsonNode circuit = (node != null) ? node.get("circuitBreaker") : null;
			Integer circuitFailures = null;
			Duration circuitWindow = null;
			if (circuit != null) {
				circuitFailures = integer(circuit, "circuitBreaker.failures", 3);
				if (circuitFailures < 1) {
					problem("guardrails.circuitBreaker.failures", "must be at least 1");
				}
				circuitWindow = duration(circuit, "guardrails.circuitBreaker.window", "window", Duration.ofHours(1));
			}
			return new Runbook.Guardrails(dryRun, cooldown, maxAttempts, bool(node, "approvalRequired", false),
					bool(node, "idempotent", false), circuitFailures, circuitWindow);
		}

		private Runbook.OnFailure onFailure(JsonNode node) {
			if (node == null) {
				return Runbook.OnFailure.ESCALATE;
			}
			if (!node.isObject()) {
				problem("onFailure", "is a mapping: { retry: 1, escalate: true }");
				return Runbook.OnFailure.ESCALATE;
			}
			node.properties()
				.stream()
				.map(Map.Entry::getKey)
				.filter((key) -> !key.equals("retry") && !key.equals("escalate"))
				.forEach((key) -> problem("onFailure." + key, "unknown field; known are [escalate, retry]"));
			JsonNode retryNode = node.get("retry");
			int retry = 0;
			if (retryNode != null && (!retryNode.isInt() || retryNode.asInt() < 0 || retryNode.asInt() > 10)) {
				problem("onFailure.retry", "must be a whole number from 0 to 10");
			}
			else if (retryNode != null) {
				retry = retryNode.asInt();
			}
			JsonNode escalateNode = node.get("escalate");
			if (escalateNode != null && !escalateNode.isBoolean()) {
				problem("onFailure.escalate", "must be true or false");
			}
			return new Runbook.OnFailure(retry,
					escalateNode == null || !escalateNode.isBoolean() || escalateNode.asBoolean());
		}

		private static final Set<String> GUARDRAILS = Set.of("dryRun", "cooldown", "maxAttempts", "approvalRequired",
				"idempotent", "circuitBreaker");

		private boolean bool(JsonNode node, String name, boolean fallback) {
			JsonNode value = (node != null) ? node.get(name) : null;
			if (value == null) {
				return fallback;
			}
			if (!value.isBoolean()) {
				problem("guardrails." + name, "must be true or false");
				return fallback;
			}
			return value.asBoolean();
		}

		private int integer(JsonNode node, String name, int fallback) {
			JsonNode value = (node != null) ? node.get(name.substring(name.lastIndexOf('.') + 1)) : null;
			if (value == null) {
				return fallback;
			}
			if (!value.isInt()) {
				problem("guardrails." + name, "must be a whole number");
				return fallback;
			}
			return value.asInt();
		}

		private Duration duration(JsonNode node, String field, String name, Duration fallback) {
			String text = (node != null && node.get(name) != null) ? node.get(name).asString() : null;
			if (text == null) {
				return fallback;
			}
			try {
				Duration duration = DurationStyle.detectAndParse(text);
				if (duration.isNegative() || duration.isZero()) {
					problem(field, "must be positive");
				}
				return duration;
			}
			catch (IllegalArgumentException ex) {
				problem(field, "'" + text + "' is not a duration such as 30s, 15m or 2h");
				return fallback;
			}
		}

		private Map<String, String> stringMap(JsonNode node, String field) {
			Map<String, String> map = new LinkedHashMap<>();
			if (node == null || node.isNull()) {
				return map;
			}
			if (!node.isObject()) {
				problem(field, "must be a mapping of names to text");
				return map;
			}
			for (Map.Entry<String, JsonNode> entry : node.properties()) {
				if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
					problem(field + "." + entry.getKey(), "must be text");
				}
				else {
					map.put(entry.getKey(), entry.getValue().asString());
				}
			}
			return map;
		}

		private Pattern pattern(String field, String regex) {
			try {
				return Pattern.compile(regex);
			}
			catch (PatternSyntaxException ex) {
				problem(field, "'" + regex + "' is not a regular expression: " + ex.getDescription());
				return null;
			}
		}

		private String text(JsonNode node, String name, boolean required) {
			return text(node, name, name, required);
		}

		private String text(JsonNode node, String field, String name, boolean required) {
			JsonNode value = node.get(name);
			if (value == null || value.isNull() || (value.isString() && value.asString().isBlank())) {
				if (required) {
					problem(field, "is required");
				}
				return null;
			}
			if (!value.isValueNode()) {
				problem(field, "must be text");
				return null;
			}
			return value.asString();
		}

		private void problem(String field, String message) {
			this.problems.add(this.source + ": " + (field.isEmpty() ? "" : field + ": ") + message);
		}

	}

	/** The catalogue is invalid; the message lists every problem, one a line. */
	public static final class InvalidCatalogueException extends RuntimeException {

		private final List<String> problems;

		InvalidCatalogueException(List<String> problems) {
			super("Invalid runbook catalogue:\n  " + String.join("\n  ", problems));
			this.problems = List.copyOf(problems);
		}

		public List<String> problems() {
			return this.problems;
		}

	}

}
