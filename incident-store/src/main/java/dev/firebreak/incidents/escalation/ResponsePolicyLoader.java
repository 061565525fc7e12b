package dev.firebreak.incidents.escalation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.Severity;

/**
 * Reads response policies from YAML ({@code policies:} a list, {@code fallback:} one per
 * severity) and checks every field. Every problem is reported at once, each with its file
 * and field, so that a bad matrix stops startup with the whole list.
 */
public final class ResponsePolicyLoader {

	/**
	 * The seeds' matrix, shipped: seed 003's rows, seed 000's, 001's, and the severity
	 * table.
	 */
	static final String DEFAULT = "response-policies.yaml";

	private static final YAMLMapper YAML = YAMLMapper.builder().build();

	private static final Set<String> POLICY_FIELDS = Set.of("name", "seed", "match", "responseTime", "escalation",
			"from", "whileAcknowledged", "immediate", "automationWindow");

	private static final Set<String> FALLBACK_FIELDS = Set.of("escalation", "from", "whileAcknowledged",
			"automationWindow");

	private static final Set<String> MATCH_FIELDS = Set.of("labels", "regex", "severities");

	private static final Duration DEFAULT_AUTOMATION_WINDOW = Duration.ofMinutes(15);

	private ResponsePolicyLoader() {
	}

	/**
	 * The policies of a file, or the shipped ones when {@code file} is {@code null}.
	 * @param responseTimes the fallback's response time per severity
	 * @throws InvalidPoliciesException listing every problem
	 */
	public static ResponsePolicies load(Path file, Map<Severity, Duration> responseTimes) {
		if (file == null) {
			try (InputStream in = ResponsePolicyLoader.class.getResourceAsStream("/" + DEFAULT)) {
				return parse("classpath:" + DEFAULT, new String(in.readAllBytes(), StandardCharsets.UTF_8),
						responseTimes);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		try {
			return parse(file.toString(), Files.readString(file), responseTimes);
		}
		catch (IOException ex) {
			throw new InvalidPoliciesException(List.of(file + ": cannot be read: " + ex.getMessage()));
		}
	}

	/**
	 * Policies from YAML text.
	 * @throws InvalidPoliciesException listing every problem
	 */
	public static ResponsePolicies parse(String source, String text, Map<Severity, Duration> responseTimes) {
		Reader reader = new Reader(source);
		JsonNode root;
		try {
			root = YAML.readTree(text);
		}
		catch (JacksonException ex) {
			throw new InvalidPoliciesException(List.of(source + ": not valid YAML: " + ex.getOriginalMessage()));
		}
		ResponsePolicies policies = reader.policies(root, responseTimes);
		if (!reader.problems.isEmpty()) {
			throw new InvalidPoliciesException(reader.problems);
		}
		return policies;
	}

	/** Reads one file, noting each problem with its field. */
	private static final class Reader {

		private final String source;

		private final List<String> problems = new ArrayList<>();

		Reader(String source) {
			this.source = source;
		}

		ResponsePolicies policies(JsonNode root, Map<Severity, Duration> responseTimes) {
			if (root == null || !root.isObject()) {
				problem("", "a mapping with policies and fallback");
				return null;
			}
			unknown(root, "", Set.of("policies", "fallback"));
			List<ResponsePolicy> policies = new ArrayList<>();
			Set<String> names = new HashSet<>();
			JsonNode list = root.path("policies");
			if (!list.isMissingNode() && !list.isArray()) {
				problem("policies", "must be a list");
			}
			for (int i = 0; i < list.size(); i++) {
				ResponsePolicy policy = policy(list.get(i), "policies[" + i + "]");
				if (policy != null && !names.add(policy.name())) {
					problem("policies[" + i + "].name", "'" + policy.name() + "' is used by another policy");
				}
				else if (policy != null) {
					policies.add(policy);
				}
			}
			Map<Severity, ResponsePolicy> fallback = new EnumMap<>(Severity.class);
			JsonNode fallbacks = root.path("fallback");
			for (Severity severity : Severity.values()) {
				String field = "fallback." + severity;
				JsonNode node = fallbacks.path(severity.name());
				if (!node.isObject()) {
					problem(field, "is required: the clock of an incident no policy covers");
					continue;
				}
				unknown(node, field, FALLBACK_FIELDS);
				fallback.put(severity,
						new ResponsePolicy(severity.name().toLowerCase(Locale.ROOT) + "-fallback", null,
								new Due.After(responseTimes.get(severity)), levels(node.get("escalation"), field),
								base(node, field), bool(node, field, "whileAcknowledged"), false,
								automationWindow(node, field)));
			}
			if (fallbacks.isObject()) {
				fallbacks.properties()
					.stream()
					.map(Map.Entry::getKey)
					.filter((key) -> !Set.of("SEV1", "SEV2", "SEV3", "SEV4").contains(key))
					.forEach((key) -> problem("fallback." + key, "is not SEV1, SEV2, SEV3 or SEV4"));
			}
			return this.problems.isEmpty() ? new ResponsePolicies(policies, fallback) : null;
		}

		private ResponsePolicy policy(JsonNode node, String field) {
			if (node == null || !node.isObject()) {
				problem(field, "must be a mapping");
				return null;
			}
			int before = this.problems.size();
			unknown(node, field, POLICY_FIELDS);
			String name = node.path("name").asString(null);
			if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
				problem(field + ".name", "is required: lower-case letters, digits and '-', at most 63");
			}
			PolicyMatch match = match(node.get("match"), field + ".match");
			Due responseTime = due(node.get("responseTime"), field + ".responseTime", true);
			Map<EscalationLevel, Due> levels = levels(node.get("escalation"), field);
			ResponsePolicy.Base base = base(node, field);
			boolean whileAcknowledged = bool(node, field, "whileAcknowledged");
			boolean immediate = bool(node, field, "immediate");
			Duration automationWindow = automationWindow(node, field);
			if (this.problems.size() > before) {
				return null;
			}
			return new ResponsePolicy(name, match, responseTime, levels, base, whileAcknowledged, immediate,
					automationWindow);
		}

		private PolicyMatch match(JsonNode node, String field) {
			if (node == null || !node.isObject()) {
				problem(field, "is required: labels, regex, severities");
				return null;
			}
			unknown(node, field, MATCH_FIELDS);
			Map<String, String> labels = strings(node.get("labels"), field + ".labels");
			Map<String, Pattern> regex = new LinkedHashMap<>();
			Map<String, String> expressions = strings(node.get("regex"), field + ".regex");
			expressions.forEach((label, expression) -> {
				try {
					regex.put(label, Pattern.compile(expression));
				}
				catch (PatternSyntaxException ex) {
					problem(field + ".regex." + label,
							"'" + expression + "' is not a regular expression: " + ex.getDescription());
				}
			});
			if (labels.isEmpty() && expressions.isEmpty()) {
				problem(field, "needs at least one label or regex: a policy for every alert is the fallback's job");
			}
			Set<Severity> severities = new TreeSet<>();
			JsonNode list = node.get("severities");
			if (list != null) {
				for (JsonNode value : list) {
					try {
						severities.add(Severity.valueOf(value.asString("").toUpperCase(Locale.ROOT)));
					}
					catch (IllegalArgumentException ex) {
						problem(field + ".severities", "'" + value.asString("") + "' is not SEV1, SEV2, SEV3 or SEV4");
					}
				}
			}
			return new PolicyMatch(labels, regex, severities);
		}

		private Map<EscalationLevel, Due> levels(JsonNode node, String field) {
			Map<EscalationLevel, Due> levels = new EnumMap<>(EscalationLevel.class);
			if (node == null || node.isNull()) {
				return levels;
			}
			if (!node.isObject()) {
				problem(field + ".escalation", "is a mapping such as { L2: 15m, L3: 1h, L4: 4h }");
				return levels;
			}
			for (Map.Entry<String, JsonNode> entry : node.properties()) {
				String levelField = field + ".escalation." + entry.getKey();
				if (!Set.of("L2", "L3", "L4").contains(entry.getKey())) {
					problem(levelField, "is not L2, L3 or L4 (L1, the automated response, is where an incident opens)");
					continue;
				}
				Due due = due(entry.getValue(), levelField, true);
				if (due != null) {
					levels.put(EscalationLevel.valueOf(entry.getKey()), due);
				}
			}
			Duration previous = Duration.ZERO;
			for (Map.Entry<EscalationLevel, Due> level : levels.entrySet()) {
				if (level.getValue() instanceof Due.After after) {
					if (after.duration().compareTo(previous) < 0) {
						problem(field + ".escalation." + level.getKey(),
								"comes before the level below it: levels are reached in order");
					}
					previous = after.duration();
				}
			}
			return levels;
		}

		private ResponsePolicy.Base base(JsonNode node, String field) {
			String from = node.path("from").asString("opened");
			return switch (from) {
				case "opened" -> ResponsePolicy.Base.OPENED;
				case "acknowledged" -> ResponsePolicy.Base.ACKNOWLEDGED;
				default -> {
					problem(field + ".from", "'" + from + "' is not opened or acknowledged");
					yield ResponsePolicy.Base.OPENED;
				}
			};
		}

		private Duration automationWindow(JsonNode node, String field) {
			JsonNode value = node.get("automationWindow");
			if (value == null) {
				return DEFAULT_AUTOMATION_WINDOW;
			}
			Due due = due(value, field + ".automationWindow", true);
			if (due != null && !(due instanceof Due.After)) {
				problem(field + ".automationWindow", "must be a duration such as 15m, or 0s for none");
			}
			return (due instanceof Due.After after) ? after.duration() : DEFAULT_AUTOMATION_WINDOW;
		}

		private Due due(JsonNode node, String field, boolean required) {
			if (node == null || node.isNull()) {
				if (required) {
					problem(field, "is required");
				}
				return null;
			}
			try {
				return Due.parse(node.asString(""));
			}
			catch (IllegalArgumentException ex) {
				problem(field, ex.getMessage());
				return null;
			}
		}

		private boolean bool(JsonNode node, String field, String name) {
			JsonNode value = node.get(name);
			if (value == null) {
				return false;
			}
			if (!value.isBoolean()) {
				problem(field + "." + name, "must be true or false");
				return false;
			}
			return value.asBoolean();
		}

		private Map<String, String> strings(JsonNode node, String field) {
			Map<String, String> values = new LinkedHashMap<>();
			if (node == null || node.isNull()) {
				return values;
			}
			if (!node.isObject()) {
				problem(field, "must be a mapping of label names to text");
				return values;
			}
			for (Map.Entry<String, JsonNode> entry : node.properties()) {
				if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
					problem(field + "." + entry.getKey(), "must be text");
				}
				else {
					values.put(entry.getKey(), entry.getValue().asString());
				}
			}
			return values;
		}

		private void unknown(JsonNode node, String field, Set<String> known) {
			node.properties()
				.stream()
				.map(Map.Entry::getKey)
				.filter((key) -> !known.contains(key))
				.forEach((key) -> problem((field.isEmpty() ? "" : field + ".") + key,
						"unknown field; known are " + new TreeSet<>(known)));
		}

		private void problem(String field, String message) {
			this.problems.add(this.source + ": " + (field.isEmpty() ? "" : field + ": ") + message);
		}

	}

	/** The policies are invalid; the message lists every problem, one a line. */
	public static final class InvalidPoliciesException extends RuntimeException {

		private final List<String> problems;

		InvalidPoliciesException(List<String> problems) {
			super("Invalid response policies:\n  " + String.join("\n  ", problems));
			this.problems = List.copyOf(problems);
		}

		public List<String> problems() {
			return this.problems;
		}

	}

}
