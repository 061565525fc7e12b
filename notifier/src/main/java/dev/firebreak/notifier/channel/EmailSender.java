package dev.firebreak.notifier.channel;

import java.util.List;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

import dev.firebreak.notifier.message.EmailMessage;
import dev.firebreak.notifier.message.Notice;
import dev.firebreak.schemas.avro.Channel;

/**
 * Sends text-and-HTML mail over SMTP (host, port, STARTTLS or SMTPS and authentication
 * are {@code spring.mail.*}), one thread per incident: a deterministic Message-ID and
 * In-Reply-To / References to the incident's first message, and
 * {@code Auto-Submitted: auto-generated} so that no vacation reply comes back. SMTP 4xx
 * and connection failures are retried; 5xx and authentication failures are permanent.
 */
public final class EmailSender implements Sender {

	private final JavaMailSender mail;

	private final String from;

	private final List<String> to;

	private final String domain;

	public EmailSender(JavaMailSender mail, String from, List<String> to, String domain) {
		this.mail = mail;
		this.from = from;
		this.to = List.copyOf(to);
		this.domain = domain;
	}

	@Override
	public Channel channel() {
		return Channel.EMAIL;
	}

	@Override
	public String destination() {
		return "email:" + String.join(",", this.to);
	}

	@Override
	public boolean broadcasts() {
		return !this.to.isEmpty();
	}

	@Override
	public SendResult send(Notice notice, String thread, String address) {
		EmailMessage email = EmailMessage.render(notice, this.domain, thread == null);
		try {
			MimeMessage message = new FixedIdMessage(this.mail.createMimeMessage(), email.messageId());
			MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
			helper.setFrom(this.from);
			helper.setTo((address != null) ? new String[] { address } : this.to.toArray(String[]::new));
			helper.setSubject(email.subject());
			helper.setText(email.text(), email.html());
			message.setHeader("Auto-Submitted", "auto-generated");
			message.setHeader("X-Firebreak-Incident", notice.incidentId());
			if (email.threadId() != null) {
				message.setHeader("In-Reply-To", email.threadId());
				message.setHeader("References", email.threadId());
			}
			this.mail.send(message);
			return SendResult.sent(email.messageId());
		}
		catch (MailAuthenticationException ex) {
			return SendResult.permanent("SMTP authentication failed");
		}
		catch (MailException | MessagingException ex) {
			return classify(ex);
		}
	}

	/** SMTP's answer decides: 4xx later, 5xx never; no answer at all, later. */
	static SendResult classify(Exception ex) {
		for (Throwable cause = ex; cause != null; cause = next(cause)) {
			int code = code(cause);
			if (code >= 500) {
				return SendResult.permanent("SMTP " + code + ": " + cause.getMessage());
			}
			if (code >= 400) {
				return SendResult.retry("SMTP " + code + ": " + cause.getMessage(), null);
			}
		}
		return SendResult.retry("SMTP failed: " + ex.getMessage(), null);
	}

	private static Throwable next(Throwable cause) {
		if (cause instanceof MailSendException send && send.getMessageExceptions().length > 0
				&& send.getMessageExceptions()[0] != cause) {
			return send.getMessageExceptions()[0];
		}
		if (cause instanceof MessagingException messaging && messaging.getNextException() != null) {
			return messaging.getNextException();
		}
		return cause.getCause();
	}

	private static int code(Throwable cause) {
		if (cause instanceof SMTPSendFailedException failed) {
			return failed.getReturnCode();
		}
		if (cause instanceof SMTPAddressFailedException failed) {
			return failed.getReturnCode();
		}
		if (cause instanceof SMTPSenderFailedException failed) {
			return failed.getReturnCode();
		}
		return 0;
	}

	/** A MIME message that keeps the Message-ID it is given instead of making one up. */
	private static final class FixedIdMessage extends MimeMessage {

		private final String id;

		FixedIdMessage(MimeMessage template, String id) {
			super(template.getSession());
			this.id = id;
		}

		@Override
		protected void updateMessageID() throws MessagingException {
			setHeader("Message-ID", this.id);
		}

	}

}
