package dev.firebreak.remediation.action;

import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TemplateTest {

	@Test
	void fillsPlaceholdersFromLabelsAnnotationsAndTheIncident() {
		Template template = Template.parse("restart {{labels.service}} for {{ incident.id }}");

		assertThat(template.references()).containsExactly("labels.service", "incident.id");
		assertThat(template.render(Map.of("labels.service", "api-v2", "incident.id", "INC-20261122-0001"), Map.of()))
			.isEqualTo("restart api-v2 for INC-20261122-0001");
	}

	@ParameterizedTest
	@ValueSource(strings = { "; id", "$(id)", "`id`", "api\nid", "--output=/etc/passwd", "-rf", "../etc", "a/../b",
			"..", "api && id", "api|id", "api id", "${IFS}", "api'", "api\"", "" })
	void refusesTheUsualInjectionStrings(String hostile) {
		Template template = Template.parse("{{labels.service}}");

		assertThatExceptionOfType(Template.RejectedValueException.class)
			.isThrownBy(() -> template.render(Map.of("labels.service", hostile), Map.of()))
			.satisfies((ex) -> assertThat(ex.reference()).isEqualTo("labels.service"))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("id`").doesNotContain("passwd"));
	}

	@Test
	void aMissingValueIsRefused() {
		assertThatExceptionOfType(Template.RejectedValueException.class)
			.isThrownBy(() -> Template.parse("{{labels.instance}}").render(Map.of(), Map.of()))
			.withMessage("labels.instance has no value");
	}

	@Test
	void aRunbookMayNarrowOrWidenThePatternOfOneParameter() {
		Template template = Template.parse("{{labels.database}}");
		Map<String, Pattern> narrow = Map.of("labels.database", Pattern.compile("^(orders|billing)$"));

		assertThat(template.render(Map.of("labels.database", "orders"), narrow)).isEqualTo("orders");
		assertThatExceptionOfType(Template.RejectedValueException.class)
			.isThrownBy(() -> template.render(Map.of("labels.database", "postgres"), narrow));
		// Even a wide pattern does not let an option or a parent segment through.
		Map<String, Pattern> wide = Map.of("labels.database", Pattern.compile(".*"));
		assertThatExceptionOfType(Template.RejectedValueException.class)
			.isThrownBy(() -> template.render(Map.of("labels.database", "--help"), wide));
	}

	@Test
	void aPlaceholderOutsideTheKnownNamespacesIsAConfigurationError() {
		assertThatIllegalArgumentException().isThrownBy(() -> Template.parse("{{env.HOME}}"))
			.withMessageContaining("labels, annotations or incident");
		assertThatIllegalArgumentException().isThrownBy(() -> Template.parse("{{labels.service}"))
			.withMessageContaining("malformed");
	}

	@Test
	void aValueIsInsertedLiterallyEvenWithReplacementCharacters() {
		Map<String, Pattern> any = Map.of("labels.path", Pattern.compile("^[$\\\\a-z0-9/]+$"));
		assertThat(Template.parse("x{{labels.path}}").render(Map.of("labels.path", "/a$1\\b"), any))
			.isEqualTo("x/a$1\\b");
	}

}
