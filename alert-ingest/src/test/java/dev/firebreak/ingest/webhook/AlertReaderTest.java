package dev.firebreak.ingest.webhook;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.AlertSource;
import dev.firebreak.schemas.avro.AlertSourceKind;
import dev.firebreak.schemas.avro.AlertStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class AlertReaderTest {

	private static final Instant NOW = Instant.parse("2026-11-22T10:05:00Z");

	private static final AlertLimits LIMITS = new AlertLimits(5, 20, 30, 3, 40, 50);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void readsAFiringWebhookAlert() {
		AlertEvent alert = accepted(webhook(),
				"""
						{"status":"firing","labels":{"alertname":"ServiceDown","service":"api"},
						 "annotations":{"summary":"api is down"},"startsAt":"2026-11-22T10:00:00.123456789Z",
						 "endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus/graph","fingerprint":"0123456789abcdef"}
						""");

		assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
		assertThat(alert.getFingerprint()).isEqualTo("0123456789abcdef");
		assertThat(alert.getLabels()).containsEntry("alertname", "ServiceDown").containsEntry("service", "api");
		assertThat(alert.getAnnotations()).containsEntry("summary", "api is down");
		assertThat(alert.getStartsAt()).isEqualTo(Instant.parse("2026-11-22T10:00:00.123Z"));
		assertThat(alert.getEndsAt()).as("Go's zero time means no end").isNull();
		assertThat(alert.getReceivedAt()).isEqualTo(NOW);
		assertThat(alert.getSource().getReceiver()).isEqualTo("firebreak");
	}

	@Test
	void readsAResolvedWebhookAlertWithAnOffset() {
		AlertEvent alert = accepted(webhook(), """
				{"status":"resolved","labels":{"alertname":"ServiceDown"},"startsAt":"2026-11-22T11:00:00+01:00",
				 "endsAt":"2026-11-22T11:03:00+01:00"}
				""");

		assertThat(alert.getStatus()).isEqualTo(AlertStatus.RESOLVED);
		assertThat(alert.getEndsAt()).isEqualTo(Instant.parse("2026-11-22T10:03:00Z"));
	}

	@Test
	void computesAlertmanagersFingerprintWhenTheWebhookHasNone() {
		AlertEvent alert = accepted(webhook(), """
				{"status":"firing","labels":{"alertname":"ServiceDown","service":"api","severity":"critical"},
				 "startsAt":"2026-11-22T10:00:00Z"}
				""");

		assertThat(alert.getFingerprint()).isEqualTo("b6d46372a77fe500");
	}

	@Test
	void treatsNullAnnotationsAsNone() {
		AlertEvent alert = accepted(webhook(), """
				{"status":"firing","labels":{"a":"b"},"annotations":null,"startsAt":"2026-11-22T10:00:00Z"}
				""");

		assertThat(alert.getAnnotations()).isEmpty();
	}

	@Test
	void ignoresFieldsItDoesNotKnow() {
		AlertEvent alert = accepted(webhook(), """
				{"status":"firing","labels":{"a":"b"},"startsAt":"2026-11-22T10:00:00Z","silencedBy":[],"new":{"x":1}}
				""");

		assertThat(alert.getLabels()).containsExactly(entry("a", "b"));
		assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
		assertThat(alert.getStartsAt()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
		assertThat(alert.getAnnotations()).isEmpty();
	}

	@Test
	void startsAnAlertsApiAlertNowWhenItHasNoStart() {
		AlertEvent alert = accepted(alertsApi(), """
				{"labels":{"alertname":"ServiceDown","service":"api","severity":"critical"}}
				""");

		assertThat(alert.getStartsAt()).isEqualTo(NOW);
		assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
		assertThat(alert.getFingerprint()).isEqualTo("b6d46372a77fe500");
	}

	@ParameterizedTest
	@CsvSource({ "2026-11-22T10:04:59Z, RESOLVED", "2026-11-22T10:05:00Z, RESOLVED", "2026-11-22T10:05:01Z, FIRING" })
	void resolvesAnAlertsApiAlertWhoseEndHasPassed(String endsAt, AlertStatus status) {
		AlertEvent alert = accepted(alertsApi(),
				"{\"labels\":{\"a\":\"b\"},\"startsAt\":\"2026-11-22T10:00:00Z\",\"endsAt\":\"" + endsAt + "\"}");

		assertThat(alert.getStatus()).isEqualTo(status);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					not an object                    | "alert"                                                            | NOT_AN_OBJECT
					no labels                        | {"startsAt":"2026-11-22T10:00:00Z"}                                | NO_LABELS
					empty labels                     | {"labels":{},"startsAt":"2026-11-22T10:00:00Z"}                    | NO_LABELS
					labels not an object             | {"labels":["a"],"startsAt":"2026-11-22T10:00:00Z"}                 | BAD_LABELS
					label value a number             | {"labels":{"a":1},"startsAt":"2026-11-22T10:00:00Z"}               | BAD_LABELS
					label value an object            | {"labels":{"a":{"b":"c"}},"startsAt":"2026-11-22T10:00:00Z"}       | BAD_LABELS
					label name with a dash           | {"labels":{"a-b":"c"},"startsAt":"2026-11-22T10:00:00Z"}           | BAD_LABEL_NAME
					label name starting with a digit | {"labels":{"1a":"c"},"startsAt":"2026-11-22T10:00:00Z"}            | BAD_LABEL_NAME
					label name empty                 | {"labels":{"":"c"},"startsAt":"2026-11-22T10:00:00Z"}              | BAD_LABEL_NAME
					label name too long              | {"labels":{"abcdefghijklmnopqrstu":"c"},"startsAt":"2026-11-22T10:00:00Z"} | BAD_LABEL_NAME
					too many labels                  | {"labels":{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6"},"startsAt":"2026-11-22T10:00:00Z"} | TOO_MANY_LABELS
					label value too long             | {"labels":{"a":"0123456789012345678901234567890"},"startsAt":"2026-11-22T10:00:00Z"} | LABEL_TOO_LONG
					annotations not an object        | {"labels":{"a":"b"},"annotations":"x","startsAt":"2026-11-22T10:00:00Z"} | BAD_ANNOTATIONS
					annotation value a list          | {"labels":{"a":"b"},"annotations":{"s":[]},"startsAt":"2026-11-22T10:00:00Z"} | BAD_ANNOTATIONS
					too many annotations             | {"labels":{"a":"b"},"annotations":{"a":"1","b":"2","c":"3","d":"4"},"startsAt":"2026-11-22T10:00:00Z"} | TOO_MANY_ANNOTATIONS
					annotation too long              | {"labels":{"a":"b"},"annotations":{"s":"01234567890123456789012345678901234567890"},"startsAt":"2026-11-22T10:00:00Z"} | ANNOTATION_TOO_LONG
					no startsAt                      | {"labels":{"a":"b"}}                                               | MISSING_STARTS_AT
					zero startsAt                    | {"labels":{"a":"b"},"startsAt":"0001-01-01T00:00:00Z"}             | MISSING_STARTS_AT
					startsAt not a time              | {"labels":{"a":"b"},"startsAt":"yesterday"}                        | BAD_TIMESTAMP
					startsAt a number                | {"labels":{"a":"b"},"startsAt":1732269600}                         | BAD_TIMESTAMP
					startsAt without a zone          | {"labels":{"a":"b"},"startsAt":"2026-11-22T10:00:00"}              | BAD_TIMESTAMP
					endsAt before startsAt           | {"labels":{"a":"b"},"startsAt":"2026-11-22T10:00:00Z","endsAt":"2026-11-22T09:00:00Z"} | ENDS_BEFORE_STARTS
					unknown status                   | {"labels":{"a":"b"},"startsAt":"2026-11-22T10:00:00Z","status":"pending"} | BAD_STATUS
					fingerprint not hex              | {"labels":{"a":"b"},"startsAt":"2026-11-22T10:00:00Z","fingerprint":"; rm -rf /"} | BAD_FINGERPRINT
					generatorURL not a string        | {"labels":{"a":"b"},"startsAt":"2026-11-22T10:00:00Z","generatorURL":5} | BAD_GENERATOR_URL
					generatorURL too long            | {"labels":{"a":"b"},"startsAt":"2026-11-22T10:00:00Z","generatorURL":"http://0123456789012345678901234567890123456789/graph"} | BAD_GENERATOR_URL
					""")
	void refusesAnInvalidWebhookAlert(String name, String json, Invalidity reason) {
		AlertReader.Reading reading = AlertReader.read(JSON.readTree(json), webhook());

		assertThat(reading).isInstanceOfSatisfying(AlertReader.Rejected.class,
				(rejected) -> assertThat(rejected.reason()).isEqualTo(reason));
	}

	@Test
	void quotesHostileLabelNamesWithoutControlCharactersAndBounded() {
		String hostile = "x\\n".repeat(100);
		AlertReader.Reading reading = AlertReader.read(
				JSON.readTree("{\"labels\":{\"" + hostile + "\":\"v\"},\"startsAt\":\"2026-11-22T10:00:00Z\"}"),
				webhook());

		assertThat(reading).isInstanceOfSatisfying(AlertReader.Rejected.class, (rejected) -> {
			assertThat(rejected.detail()).doesNotContain("\n").hasSizeLessThan(100);
		});
	}

	private static AlertEvent accepted(Delivery delivery, String json) {
		AlertReader.Reading reading = AlertReader.read(JSON.readTree(json), delivery);
		assertThat(reading).isInstanceOf(AlertReader.Accepted.class);
		return ((AlertReader.Accepted) reading).alert();
	}

	private static Delivery webhook() {
		return new Delivery(AlertSource.newBuilder()
			.setKind(AlertSourceKind.ALERTMANAGER_WEBHOOK)
			.setReceiver("firebreak")
			.setRemoteAddress("127.0.0.1")
			.build(), NOW, LIMITS);
	}

	private static Delivery alertsApi() {
		return new Delivery(
				AlertSource.newBuilder().setKind(AlertSourceKind.ALERTS_API_V2).setRemoteAddress("127.0.0.1").build(),
				NOW, LIMITS);
	}

}
