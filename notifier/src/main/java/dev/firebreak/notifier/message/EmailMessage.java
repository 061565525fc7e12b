package dev.firebreak.notifier.message;

import org.springframework.web.util.HtmlUtils;

/**
 * An email about an incident: subject, text and HTML bodies, and the ids that keep one
 * incident in one thread. The first message of an incident has the Message-ID
 * {@code <INC-…@domain>}; every later one its own id and that one in In-Reply-To and
 * References. The ids are made from the incident and the event, so a message sent again
 * after a crash has the same id.
 *
 * @param subject the subject
 * @param text the plain-text body
 * @param html the HTML body, every value escaped
 * @param messageId this message's id
 * @param threadId the incident's first message's id; null for that first message
 */
public record EmailMessage(String subject, String text, String html, String messageId, String threadId) {

	public static EmailMessage render(Notice notice, String domain, boolean first) {
		String root = "<" + notice.incidentId() + "@" + domain + ">";
		// A page to one person is a message of its own in the incident's thread.
		boolean page = notice.stage() != null;
		String id = (first && !page) ? root : "<" + notice.incidentId() + "." + notice.sequence()
				+ (page ? "." + notice.stage() : "") + "@" + domain + ">";
		String subject = Texts
			.cut(notice.headline() + " — " + notice.event().name().toLowerCase().replace('_', ' '), 250)
			.replaceAll("[\\r\\n]", " ");
		StringBuilder text = new StringBuilder();
		if (notice.recipient() != null) {
			text.append(notice.forWhom()).append("\n\n");
		}
		text.append(notice.happened()).append("\n\n");
		if (notice.paged() != null) {
			text.append(notice.paged()).append("\n\n");
		}
		text.append("Incident:   ").append(notice.incidentId()).append('\n');
		text.append("Title:      ").append(notice.title()).append('\n');
		text.append("Severity:   ").append(notice.severity()).append('\n');
		text.append("Status:     ").append(notice.status()).append('\n');
		text.append("Escalation: ").append(notice.escalation()).append('\n');
		text.append("Service:    ").append(notice.labelText()).append('\n');
		text.append("Alerts:     ")
			.append(notice.firing())
			.append(" firing of ")
			.append(notice.alerts())
			.append("\n\n");
		notice.alertLines().forEach((line) -> text.append("  - ").append(line).append('\n'));
		if (!notice.findings().isEmpty()) {
			text.append('\n').append(Notice.FOUND).append(":\n");
			notice.findings().forEach((finding) -> text.append(text(finding)));
		}
		text.append("\nIncident: ").append(notice.incidentUrl()).append('\n');
		text.append("Timeline: ").append(notice.timelineUrl()).append('\n');
		StringBuilder html = new StringBuilder();
		html.append("<html><body>");
		html.append("<h2>").append(HtmlUtils.htmlEscape(notice.headline())).append("</h2>");
		if (notice.recipient() != null) {
			html.append("<p>").append(HtmlUtils.htmlEscape(notice.forWhom())).append("</p>");
		}
		html.append("<p><strong>").append(HtmlUtils.htmlEscape(notice.happened())).append("</strong></p>");
		if (notice.paged() != null) {
			html.append("<p>").append(HtmlUtils.htmlEscape(notice.paged())).append("</p>");
		}
		html.append("<table>");
		row(html, "Severity", notice.severity().name());
		row(html, "Status", notice.status().name());
		row(html, "Escalation", notice.escalation().name());
		row(html, "Service", notice.labelText());
		row(html, "Alerts", notice.firing() + " firing of " + notice.alerts());
		html.append("</table><ul>");
		notice.alertLines().forEach((line) -> html.append("<li>").append(HtmlUtils.htmlEscape(line)).append("</li>"));
		html.append("</ul>");
		if (!notice.findings().isEmpty()) {
			html.append("<h3>").append(Notice.FOUND).append("</h3><ul>");
			notice.findings().forEach((finding) -> html.append(html(finding)));
			html.append("</ul>");
		}
		html.append("<p><a href=\"")
			.append(HtmlUtils.htmlEscape(notice.incidentUrl()))
			.append("\">Incident</a> · <a href=\"")
			.append(HtmlUtils.htmlEscape(notice.timelineUrl()))
			.append("\">Timeline</a></p></body></html>");
		return new EmailMessage(subject, text.toString(), html.toString(), id, (first && !page) ? null : root);
	}

	/** A finding in the text body: its line, then its output indented under it. */
	static String text(Notice.Finding finding) {
		StringBuilder text = new StringBuilder("  - ").append(finding.line()).append('\n');
		finding.output().lines().forEach((line) -> text.append("      ").append(line).append('\n'));
		return text.toString();
	}

	/**
	 * A finding in the HTML body, every value escaped: its line, then its output as is.
	 */
	static String html(Notice.Finding finding) {
		StringBuilder html = new StringBuilder("<li>").append(HtmlUtils.htmlEscape(finding.line()));
		if (!finding.output().isEmpty()) {
			html.append("<pre>").append(HtmlUtils.htmlEscape(finding.output())).append("</pre>");
		}
		return html.append("</li>").toString();
	}

	private static void row(StringBuilder html, String name, String value) {
		html.append("<tr><th align=\"left\">")
			.append(name)
			.append("</th><td>")
			.append(HtmlUtils.htmlEscape(value))
			.append("</td></tr>");
	}

}
