package dev.firebreak.incidents.correlation;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.fixtures.Alerts;

import static dev.firebreak.schemas.fixtures.Alerts.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** What makes a delivery a repeat of another, and how the key is stored. */
class AssignedKeyTest {

	private static final Alerts DISK = Alerts.firing("DiskSpaceHigh").label("job", "node").annotation("summary", "90%");

	@Test
	void theDigestIgnoresWhenAndFromWhomADeliveryCame() {
		AlertEvent first = DISK.build();
		AlertEvent second = DISK.receivedAt(T0.plusSeconds(5)).build();
		second.getSource().setReceiver("the-other-alertmanager");

		assertThat(AssignedKey.digest(second)).isEqualTo(AssignedKey.digest(first)).hasSize(22);
	}

	@Test
	void theDigestChangesWithAnythingTheAlertSays() {
		String digest = AssignedKey.digest(DISK.build());

		assertThat(AssignedKey
			.digest(Alerts.firing("DiskSpaceHigh").label("job", "node").annotation("summary", "91%").build()))
			.isNotEqualTo(digest);
		assertThat(AssignedKey.digest(Alerts.firing("DiskSpaceHigh")
			.label("job", "node")
			.annotation("summary", "90%")
			.startsAt(T0.minusSeconds(1))
			.build())).isNotEqualTo(digest);
		assertThat(AssignedKey.digest(Alerts.firing("DiskSpaceHigh")
			.label("job", "node")
			.annotation("summary", "90%")
			.endsAt(T0.plusSeconds(600))
			.build())).isNotEqualTo(digest);
		// Length-prefixed: moving text from a name to its value is another alert.
		assertThat(AssignedKey
			.digest(Alerts.firing("DiskSpaceHigh").label("job", "node").annotation("summar", "y90%").build()))
			.isNotEqualTo(digest);
	}

	@Test
	void storedAndParsedBackWithOrWithoutALastDelivery() {
		AssignedKey key = new AssignedKey("host", "cluster=eu-1,instance=a b", null, 0, 0);
		AssignedKey forwarded = key.forwarded("abc", T0.toEpochMilli()).repeated().repeated();

		assertThat(key.encode()).isEqualTo("host\u0000cluster=eu-1,instance=a b");
		assertThat(AssignedKey.parse(key.encode())).isEqualTo(key);
		assertThat(AssignedKey.parse(forwarded.encode())).isEqualTo(forwarded);
		assertThat(forwarded.repeats()).isEqualTo(2);
		assertThat(AssignedKey.parse(null)).isNull();
	}

	@Test
	void aRepeatIsTheSameDeliveryWithinTheSkewEitherWay() {
		AssignedKey key = new AssignedKey("default", "job=node", null, 0, 0).forwarded("abc", 100_000);
		Duration skew = Duration.ofSeconds(60);

		assertThat(key.repeatedBy("abc", 160_000, skew)).isTrue();
		assertThat(key.repeatedBy("abc", 40_000, skew)).isTrue();
		assertThat(key.repeatedBy("abc", 160_001, skew)).isFalse();
		assertThat(key.repeatedBy("abd", 100_000, skew)).isFalse();
	}

}
