package dev.firebreak.ingest.webhook;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.firebreak.ingest.IngestServer;
import dev.firebreak.schemas.AlertFingerprint;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.AlertSourceKind;
import dev.firebreak.schemas.avro.AlertStatus;

import static org.assertj.core.api.Assertions.assertThat;

class AlertsApiTest extends IngestServer {

	private static final String PATH = "/api/v2/alerts";

	@Test
	void storesAlertsAsPrometheusPushesThemWithAlertmanagersFingerprint() {
		Instant before = Instant.now().minusSeconds(1);
		HttpResponse<String> response = post(PATH, """
				[{"labels":{"alertname":"ServiceDown","service":"api","severity":"critical","run":"%s"},
				  "annotations":{"summary":"api is down"},"generatorURL":"http://prometheus:9090/graph"},
				 {"labels":{"alertname":"DiskSpaceHigh","instance":"db-1:9100","run":"%s"},
				  "startsAt":"2026-11-21T09:00:00Z","endsAt":"2026-11-21T09:30:00Z"}]
				""".formatted(this.run, this.run));

		assertThat(response.statusCode()).isEqualTo(200);
		List<AlertEvent> alerts = publishedAlerts();
		assertThat(alerts).hasSize(2).allSatisfy((alert) -> {
			assertThat(alert.getFingerprint()).isEqualTo(AlertFingerprint.of(alert.getLabels()));
			assertThat(alert.getSource().getKind()).isEqualTo(AlertSourceKind.ALERTS_API_V2);
			assertThat(alert.getSource().getReceiver()).isNull();
		});
		AlertEvent serviceDown = alerts.stream()
			.filter((a) -> a.getLabels().get("alertname").equals("ServiceDown"))
			.findFirst()
			.orElseThrow();
		assertThat(serviceDown.getStatus()).isEqualTo(AlertStatus.FIRING);
		assertThat(serviceDown.getStartsAt()).as("no startsAt means now")
			.isBetween(before, Instant.now().plus(Duration.ofSeconds(1)));
		AlertEvent disk = alerts.stream()
			.filter((a) -> a.getLabels().get("alertname").equals("DiskSpaceHigh"))
			.findFirst()
			.orElseThrow();
		assertThat(disk.getStatus()).as("an end in the past means resolved").isEqualTo(AlertStatus.RESOLVED);
	}

	@Test
	void refusesALabelRepeatedInOneAlert() {
		HttpResponse<String> response = post(PATH, "[{\"labels\":{\"alertname\":\"X\",\"run\":\"" + this.run
				+ "\",\"service\":\"api\",\"service\":\"payments\"}}]");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("urn:firebreak:problem:malformed-request")
			.contains("the body repeats the key /0/labels/service");
		assertThat(publishedAlerts()).isEmpty();
	}

	@Test
	void refusesAnObjectWhereAnArrayBelongs() {
		HttpResponse<String> response = post(PATH, "{\"labels\":{\"run\":\"" + this.run + "\"}}");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("urn:firebreak:problem:malformed-request");
		assertThat(publishedAlerts()).isEmpty();
	}

	@Test
	void acceptsAnEmptyList() {
		assertThat(post(PATH, "[]").body()).isEqualTo("{\"accepted\":0}");
	}

}
