package dev.firebreak.notifier.channel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.firebreak.notifier.message.Notice;
import dev.firebreak.notifier.message.WebhookPayload;
import dev.firebreak.schemas.avro.Channel;

/**
 * The local outbox: one JSON line per message in a file, for a machine with no channel
 * configured (the local run) or for a route that wants a record only. What it wrote is
 * also in each incident's timeline as NOTIFICATION_SENT on OUTBOX.
 */
public final class OutboxSender implements Sender {

	private final Path file;

	public OutboxSender(Path file) {
		this.file = file;
	}

	@Override
	public Channel channel() {
		return Channel.OUTBOX;
	}

	@Override
	public String destination() {
		return "outbox";
	}

	@Override
	public synchronized SendResult send(Notice notice, String thread, String address) {
		try {
			if (this.file.getParent() != null) {
				Files.createDirectories(this.file.getParent());
			}
			Files.writeString(this.file, WebhookPayload.render(notice).toString() + "\n", StandardCharsets.UTF_8,
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			return SendResult.sent(notice.incidentId() + "/" + notice.sequence());
		}
		catch (IOException ex) {
			return SendResult.retry("cannot write " + this.file + ": " + ex.getMessage(), null);
		}
	}

	public Path file() {
		return this.file;
	}

}
