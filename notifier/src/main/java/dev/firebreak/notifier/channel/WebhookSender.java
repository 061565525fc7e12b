package dev.firebreak.notifier.channel;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.firebreak.notifier.message.Notice;
import dev.firebreak.notifier.message.WebhookPayload;
import dev.firebreak.platform.Secret;
import dev.firebreak.schemas.avro.Channel;

/**
 * POSTs the notice as JSON to any system, signed: {@code X-Firebreak-Signature:
 * v1=<hex HMAC-SHA256 of "<timestamp>.<body>">} with the shared secret, the timestamp in
 * {@code X-Firebreak-Timestamp} (so that a receiver can refuse a replay) and
 * {@code Idempotency-Key: <incident>:<sequence>} (so that it can refuse a repeat).
 */
public final class WebhookSender implements Sender {

	private final URI url;

	private final Secret secret;

	private final String name;

	private final Duration timeout;

	private final Clock clock;

	public WebhookSender(URI url, Secret secret, String name, Duration timeout, Clock clock) {
		this.url = url;
		this.secret = secret;
		this.name = name;
		this.timeout = timeout;
		this.clock = clock;
	}

	@Override
	public Channel channel() {
		return Channel.WEBHOOK;
	}

	@Override
	public String destination() {
		return this.name;
	}

	@Override
	public SendResult send(Notice notice, String thread, String address) {
		String body = WebhookPayload.render(notice).toString();
		String timestamp = Long.toString(this.clock.instant().getEpochSecond());
		String key = notice.incidentId() + ":" + notice.sequence();
		return HttpDelivery.post(this.url,
				Map.of("X-Firebreak-Timestamp", timestamp, "X-Firebreak-Signature",
						"v1=" + sign(this.secret.value(), timestamp + "." + body), "Idempotency-Key", key),
				body, this.timeout, (answer) -> SendResult.sent(key));
	}

	/** Hex HMAC-SHA256, as a receiver computes it to check the signature. */
	public static String sign(String secret, String text) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

}
