package dev.firebreak.remediation.runbook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;

/**
 * The runbook format's structure: {@code runbook.schema.json}, on the classpath and
 * beside the shipped runbooks for editors ({@code # yaml-language-server: $schema=…}).
 * Fields, types, what is required, enumerations and ranges are checked here; what a
 * schema cannot say (templates, patterns, conditions on earlier steps) by
 * {@link RunbookLoader}.
 */
final class RunbookSchema {

	/** Where it is, on the classpath and in the repository beside {@code runbooks/}. */
	static final String RESOURCE = "runbook.schema.json";

	private static final Schema SCHEMA = SchemaRegistry
		.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
				(builder) -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().locale(Locale.ROOT).build()))
		.getSchema(SchemaLocation.of("classpath:" + RESOURCE));

	private RunbookSchema() {
	}

	/**
	 * Every structural problem of one runbook, each as {@code field: message}
	 * ({@code steps[1].action.argv: is required}).
	 */
	static List<String> problems(JsonNode runbook) {
		Set<String> problems = new LinkedHashSet<>();
		for (com.networknt.schema.Error error : SCHEMA.validate(runbook)) {
			String at = field(String.valueOf(error.getInstanceLocation()));
			String keyword = error.getKeyword();
			if ("required".equals(keyword)) {
				problems.add(join(at, error.getProperty()) + ": is required");
			}
			else if ("additionalProperties".equals(keyword)) {
				problems.add(join(at, error.getProperty()) + ": unknown field");
			}
			else {
				problems.add((at.isEmpty() ? "" : at + ": ") + message(error));
			}
		}
		return new ArrayList<>(problems);
	}

	/**
	 * The schema's message, after the value it is about ({@code 'TRACE' does not have a
	 * value in the enumeration…}), or in words for a duration.
	 */
	private static String message(com.networknt.schema.Error error) {
		JsonNode value = error.getInstanceNode();
		String quoted = (value != null && value.isValueNode() && !"type".equals(error.getKeyword()))
				? "'" + value.asString() + "' " : "";
		if (String.valueOf(error.getSchemaLocation()).endsWith("/$defs/duration/pattern")) {
			return quoted + "is not a duration such as 30s, 15m or 2h";
		}
		return quoted + error.getMessage();
	}

	/** {@code /steps/1/action/type} as {@code steps[1].action.type}. */
	static String field(String pointer) {
		StringBuilder field = new StringBuilder();
		for (String token : pointer.split("/")) {
			if (token.isEmpty()) {
				continue;
			}
			String name = token.replace("~1", "/").replace("~0", "~");
			if (name.chars().allMatch(Character::isDigit)) {
				field.append('[').append(name).append(']');
			}
			else {
				field.append(field.isEmpty() ? "" : ".").append(name);
			}
		}
		return field.toString();
	}

	private static String join(String at, String property) {
		return at.isEmpty() ? property : at + "." + property;
	}

}
