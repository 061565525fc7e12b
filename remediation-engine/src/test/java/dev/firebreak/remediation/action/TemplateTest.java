package dev.firebreak.remediation.action;

import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.firebreak.platform.Secret;

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

	@Test
	void aSecretIsPutInWhereItIsNamedAndNeverShown() {
		Template template = Template.parse("Bearer ${secret:awx-token}", Map.of("awx-token", Secret.of("s3cr3t")));

		assertThat(template.render(Map.of(), Map.of())).isEqualTo("Bearer s3cr3t");
		assertThat(template.references()).isEmpty();
		assertThat(template).hasToString("Bearer ${secret:awx-token}");
	}

	@Test
	void aSecretThatIsNotConfiguredIsAConfigurationError() {
		assertThatIllegalArgumentException().isThrownBy(() -> Template.parse("Bearer ${secret:nope}", Map.of()))
			.withMessage("'${secret:nope}' names no secret configured under firebreak.remediation.secrets");
		assertThatIllegalArgumentException().isThrownBy(() -> Template.parse("Bearer ${env:HOME}"))
			.withMessageContaining("malformed placeholder");
	}

	@Test
	void aUrlPercentEncodesValuesInPathSegmentsAndQueryValues() {
		Template url = Template.parseUrl(
				"https://awx.example:8043/scale/{{labels.service}}?note={{labels.note}}&t=${secret:t}",
				Map.of("t", Secret.of("a&b c")));
		Map<String, Pattern> wide = Map.of("labels.service", Pattern.compile(".*"), "labels.note",
				Pattern.compile(".*"));

		assertThat(url.render(Map.of("labels.service", "a/b?c", "labels.note", "x&y=z"), wide))
			.isEqualTo("https://awx.example:8043/scale/a%2Fb%3Fc?note=x%26y%3Dz&t=a%26b%20c");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://{{labels.host}}/restart", "https://{{labels.host}}.example.com/x",
			"http://awx.example:{{labels.port}}/x", "{{labels.url}}", "${secret:t}/x", "ftp://awx.example/x",
			"//awx.example/x", "http://user@{{labels.host}}/x" })
	void aUrlWhoseOriginIsNotWrittenOutIsRefused(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> Template.parseUrl(text, Map.of("t", Secret.of("t"))))
			.withMessageContaining("must write out its scheme (http or https), host and port");
	}

}
