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
import dev.firebreak.remediation.action.DockerAction;
import dev.firebreak.remediation.action.KubernetesAction;
import dev.firebreak.remediation.action.Template;
import dev.firebreak.schemas.avro.AlertStatus;
import dev.firebreak.schemas.avro.Severity;

/**
 * Reads runbooks from YAML, one per file, and validates every field: the structure
 * against {@link RunbookSchema} (fields, types, what is required, enumerations, ranges),
 * then, for a runbook of a valid structure, what a schema cannot say (templates and the
 * values they may read, regular expressions, durations, conditions on earlier steps).
 * Every problem of every file is collected and reported together, each naming its file
 * and field, so that an invalid catalogue fails startup with the whole list.
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

	/**
	 * Per action type, the parameters that must be written out: no value from an alert
	 * may choose a statement, a root, a glob, the variables passed on or the method.
	 */
	private static final Map<String, Set<String>> LITERAL = Map.of("command", Set.of("environment", "workingDirectory"),
			"http", Set.of("method"), "postgres", Set.of("datasource", "operation", "state", "olderThan", "statement"),
			"file-cleanup", Set.of("root", "glob", "olderThan"), "kubernetes",
			Set.of("operation", "kind", "replicas", "maxReplicas", "tail"), "docker",
			Set.of("operation", "workingDirectory", "tail"));

	/** What a read-only transaction still lets a query do to others. */
	private static final Pattern WRITING = Pattern.compile(
			"(?i)\\b(pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|set_config|pg_advisory\\w*"
					+ "|dblink\\w*|lo_\\w+|pg_notify|pg_sleep\\w*)\\s*\\(");

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
				JsonNode tree = YAML.readTree(text);
				List<String> structure = (tree != null && tree.isObject()) ? RunbookSchema.problems(tree)
						: List.of("a runbook is a YAML mapping");
				structure.forEach((problem) -> problems.add(source + ": " + problem));
				Runbook runbook = structure.isEmpty() ? reader.runbook(tree) : null;
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

		/** A runbook whose structure the schema accepted. */
		Runbook runbook(JsonNode root) {
			String id = text(root, "id");
			String description = text(root, "description");
			RunbookMatch match = match(root.get("match"));
			List<Step> steps = steps(root);
			Template target = null;
			String targetText = text(root, "target");
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
			String name = text(node, "name");
			if (earlier.stream().anyMatch((step) -> step.name().equals(name))) {
				problem(field + ".name", "'" + name + "' names an earlier step too");
			}
			StepCondition when = null;
			String condition = text(node, "when");
			if (condition != null) {
				try {
					when = StepCondition.parse(condition);
					String step = when.step();
					Step read = earlier.stream()
						.filter((previous) -> previous.name().equals(step))
						.findFirst()
						.orElse(null);
					if (read == null) {
						problem(field + ".when", "'" + step + "' is not the name of an earlier step");
					}
					else if (!when.key().equals("succeeded")
							&& !ActionSpec.REPORTS.get(read.action().type()).contains(when.key())) {
						problem(field + ".when",
								"a " + read.action().type() + " step reports succeeded, "
										+ String.join(", ", ActionSpec.REPORTS.get(read.action().type())) + ", not "
										+ when.key());
					}
				}
				catch (IllegalArgumentException ex) {
					problem(field + ".when", ex.getMessage());
				}
			}
			boolean diagnostic = node.path("diagnostic").asBoolean(false);
			ActionSpec action = action(node.get("action"), field + ".action");
			if (diagnostic && action != null && !readsOnly(action)) {
				problem(field + ".diagnostic",
						"a diagnostic step only reads: an http GET, a command, a postgres query, docker or kubernetes logs, not "
								+ (action.type().equals("http") ? "an http " + method(action) : "a " + action.type())
								+ " action");
			}
			Duration delay = node.has("delay") ? duration(node, field + ".delay", "delay", null) : null;
			if (delay != null && delay.compareTo(MAX_DELAY) > 0) {
				problem(field + ".delay", "is at most " + MAX_DELAY.toMinutes() + "m"
						+ ": a step waits while it holds one of the engine's places");
			}
			return (action != null)
					? new Step(name, action, when, node.path("continueOnFailure").asBoolean(false), diagnostic, delay)
					: null;
		}

		private static final Duration MAX_DELAY = Duration.ofMinutes(10);

		private static boolean readsOnly(ActionSpec action) {
			return switch (action.type()) {
				case "command" -> true;
				case "http" -> method(action).equals("GET");
				case "docker" -> DockerAction.READING.contains(String.valueOf(action.templates().get("operation")));
				case "postgres" -> String.valueOf(action.templates().get("operation")).equals("query");
				case "kubernetes" ->
					KubernetesAction.READING.contains(String.valueOf(action.templates().get("operation")));
				default -> false;
			};
		}

		/** An http action's method, POST unless written. */
		private static String method(ActionSpec action) {
			return String.valueOf(action.templates().getOrDefault("method", Template.parse("POST")));
		}

		private static final Set<String> INCIDENT_VALUES = Set.of("incident.id", "incident.severity", "incident.title",
				"incident.correlationKey");

		private RunbookMatch match(JsonNode node) {
			Map<String, String> labels = stringMap(node.get("labels"));
			Map<String, Pattern> regex = new LinkedHashMap<>();
			stringMap(node.get("regex")).forEach((name, value) -> {
				Pattern pattern = pattern("match.regex." + name, value);
				if (pattern != null) {
					regex.put(name, pattern);
				}
			});
			if (labels.isEmpty() && regex.isEmpty()) {
				problem("match", "needs at least one label or regex: a runbook for every alert is a mistake");
			}
			Set<Severity> severities = EnumSet.noneOf(Severity.class);
			if (node.has("severities")) {
				node.get("severities")
					.forEach((value) -> severities.add(Severity.valueOf(value.asString().toUpperCase(Locale.ROOT))));
			}
			String status = text(node, "status");
			return new RunbookMatch(labels, regex, severities,
					(status != null) ? AlertStatus.valueOf(status.toUpperCase(Locale.ROOT)) : AlertStatus.FIRING);
		}

		private ActionSpec action(JsonNode node, String field) {
			if (node == null) {
				problem(field, "is required: an action, or steps");
				return null;
			}
			String type = node.get("type").asString();
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
					Object replicas = templates.containsKey("replicas") ? templates.get("replicas")
							: settings.get("replicas");
					if (operation.equals("scale") && (replicas == null
							|| !KubernetesAction.REPLICAS.matcher(String.valueOf(replicas)).matches())) {
						problem(field + ".replicas", "is required for scale: a count (5) or a change (+1, -1)");
					}
				}
				case "postgres" -> {
					boolean own = operation.equals("statement") || operation.equals("query");
					if (own && !templates.containsKey("statement")) {
						problem(field + ".statement", "is required for the " + operation + " operation");
					}
					else if (operation.equals("query")) {
						String sql = templates.get("statement").toString();
						java.util.regex.Matcher writing = WRITING.matcher(sql);
						if (sql.contains(";")) {
							problem(field + ".statement", "a query is one statement: no ';'");
						}
						else if (writing.find()) {
							problem(field + ".statement", "a query only reads: it may not call " + writing.group(1));
						}
					}
					else if (!own) {
						required(field, templates, "olderThan");
					}
				}
				case "file-cleanup" -> {
					if (templates.containsKey("root") && !Path.of(templates.get("root").toString()).isAbsolute()) {
						problem(field + ".root", "must be an absolute path");
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

		private void required(String field, Map<String, Template> templates, String name) {
			if (!templates.containsKey(name)) {
				problem(field + "." + name, "is required");
			}
		}

		private void template(Map<String, Template> templates, String field, String name, JsonNode value) {
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
			stringMap(node).forEach((name, value) -> {
				Pattern pattern = pattern("parameters." + name, value);
				if (pattern != null) {
					parameters.put(name, pattern);
				}
			});
			return parameters;
		}

		private Runbook.Guardrails guardrails(JsonNode node) {
			JsonNode rails = (node != null) ? node : YAML.createObjectNode();
			JsonNode circuit = rails.get("circuitBreaker");
			return new Runbook.Guardrails(rails.path("dryRun").asBoolean(true),
					duration(rails, "guardrails.cooldown", "cooldown", Duration.ofMinutes(15)),
					rails.path("maxAttempts").asInt(1), rails.path("approvalRequired").asBoolean(false),
					rails.path("idempotent").asBoolean(false),
					(circuit != null) ? circuit.path("failures").asInt(3) : null,
					(circuit != null)
							? duration(circuit, "guardrails.circuitBreaker.window", "window", Duration.ofHours(1))
							: null);
		}

		private static Runbook.OnFailure onFailure(JsonNode node) {
			if (node == null) {
				return Runbook.OnFailure.ESCALATE;
			}
			return new Runbook.OnFailure(node.path("retry").asInt(0), node.path("escalate").asBoolean(true));
		}

		/**
		 * A duration the schema let through (30s, 15m); zero, and more than a year, are
		 * refused here.
		 */
		private Duration duration(JsonNode node, String field, String name, Duration fallback) {
			if (node == null || !node.has(name)) {
				return fallback;
			}
			Duration duration;
			try {
				duration = DurationStyle.SIMPLE.parse(node.get(name).asString());
			}
			catch (IllegalArgumentException ex) {
				problem(field, "'" + node.get(name).asString() + "' is not a duration such as 30s, 15m or 2h");
				return fallback;
			}
			if (duration.isZero() || duration.compareTo(LONGEST) > 0) {
				problem(field, "must be positive and at most " + LONGEST.toDays() + "d");
				return fallback;
			}
			return duration;
		}

		private static final Duration LONGEST = Duration.ofDays(365);

		private static Map<String, String> stringMap(JsonNode node) {
			Map<String, String> map = new LinkedHashMap<>();
			if (node != null) {
				node.properties().forEach((entry) -> map.put(entry.getKey(), entry.getValue().asString()));
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

		private static String text(JsonNode node, String name) {
			JsonNode value = node.get(name);
			return (value != null && !value.isNull()) ? value.asString() : null;
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
