package dev.firebreak.notifier.message;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.web.util.UriUtils;

import dev.firebreak.notifier.route.Kind;
import dev.firebreak.schemas.avro.AlertStatus;
import dev.firebreak.schemas.avro.AlertSummary;
import dev.firebreak.schemas.avro.AutomationState;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.Severity;

/**
 * What a message says, whatever the channel: the incident as it stands and what just
 * happened to it. Values come from alerts and are untrusted; each renderer escapes them
 * for its format.
 *
 * @param incidentId the incident, also PagerDuty's dedup_key and the email thread
 * @param sequence the event's sequence
 * @param event what happened
 * @param kind trigger, acknowledge or resolve
 * @param title the incident's title
 * @param severity its severity now
 * @param status its status now
 * @param escalation its escalation level now
 * @param happened what happened, in a line
 * @param labels the labels that identify it (cluster, service…)
 * @param firing alerts firing
 * @param alerts alerts in all
 * @param alertLines a few of its alerts, a line each
 * @param findings what runbooks' diagnostic steps found, newest first, a few and bounded
 * @param occurredAt when it happened
 * @param incidentUrl the incident's page in the console
 * @param timelineUrl its timeline, on that page
 * @param recipient who this message is for, when an escalation policy named them (the
 * person on call, or the target)
 * @param stage the level ({@code L2}) or severity whose target it is for
 * @param paged who this event paged, in a line ({@code null} when nobody)
 * @param acknowledgedBy who acknowledged it, while acknowledged or once resolved
 * ({@code null} when nobody)
 * @param resolvedBy who resolved it, once resolved ({@code null} otherwise)
 * @param awaitingApproval the remediation this event says waits for approval
 * ({@code null} for any other event)
 */
public record Notice(String incidentId, long sequence, IncidentEventType event, Kind kind, String title,
		Severity severity, IncidentStatus status, EscalationLevel escalation, String happened,
		Map<String, String> labels, int firing, int alerts, List<String> alertLines, List<Finding> findings,
		Instant occurredAt, String incidentUrl, String timelineUrl, String recipient, String stage, String paged,
		String acknowledgedBy, String resolvedBy, String awaitingApproval) {

	/** The console's page of an incident, under Firebreak's public URL. */
	static final String CONSOLE_INCIDENTS = "/console/incidents/";

	/** Alerts listed in a message, at most. */
	static final int ALERT_LINES = 10;

	/** The heading messages show over the findings. */
	static final String FOUND = "What Firebreak found";

	/** Findings told in a message, at most: the newest. */
	static final int FINDINGS = 3;

	/** Characters of a finding's summary, at most. */
	static final int FINDING_SUMMARY = 300;

	/** Characters of a finding's output, at most. */
	static final int FINDING_OUTPUT = 500;

	public Notice {
		labels = Map.copyOf(labels);
		alertLines = List.copyOf(alertLines);
		findings = List.copyOf(findings);
	}

	/**
	 * What a runbook's diagnostic step found (evidence such as a health check's answer or
	 * a pod's recent logs), bounded for a message. Untrusted: each renderer escapes it.
	 *
	 * @param runbook the runbook's id
	 * @param step the step's name in its runbook
	 * @param succeeded whether the look itself worked (a 2xx, exit code 0)
	 * @param summary what it looked at and what it saw, on one line of at most
	 * {@value #FINDING_SUMMARY} characters
	 * @param output what it read, at most {@value #FINDING_OUTPUT} characters, ending
	 * with an ellipsis when cut; empty when it read nothing
	 * @param collectedAt when it looked
	 */
	public record Finding(String runbook, String step, boolean succeeded, String summary, String output,
			Instant collectedAt) {

		/**
		 * {@code health (runbook restart-application): GET http://api:8080/health answered 503}.
		 */
		public String line() {
			return this.step + " (runbook " + this.runbook + "): " + this.summary;
		}

	}

	/**
	 * @param publicUrl Firebreak's address as people reach it
	 * ({@code firebreak.public-url}), for links to the incident's page in the console
	 */
	public static Notice of(IncidentEvent event, Kind kind, String publicUrl) {
		Incident incident = event.getIncident();
		List<String> lines = new ArrayList<>();
		for (AlertSummary alert : incident.getRecentAlerts()) {
			if (lines.size() == ALERT_LINES) {
				break;
			}
			String instance = alert.getLabels().getOrDefault("instance", "");
			lines.add(alert.getAlertname() + (instance.isEmpty() ? "" : " on " + instance) + " ("
					+ ((alert.getStatus() == AlertStatus.FIRING) ? "firing" : "resolved") + ")");
		}
		String incidentUrl = consolePage(publicUrl, incident.getId());
		boolean resolved = incident.getStatus() == IncidentStatus.RESOLVED;
		String awaiting = (event.getType() == IncidentEventType.REMEDIATION_AWAITING_APPROVAL)
				? event.getDetails().get("remediationId") : null;
		return new Notice(incident.getId(), event.getSequence(), event.getType(), kind, incident.getTitle(),
				incident.getSeverity(), incident.getStatus(), incident.getEscalationLevel(), happened(event),
				incident.getCorrelationLabels(), incident.getCounts().getFiring(), incident.getCounts().getAlerts(),
				lines, findings(incident), event.getOccurredAt(), incidentUrl, incidentUrl + "#timeline", null, null,
				null, (incident.getStatus() != IncidentStatus.OPEN) ? incident.getAcknowledgedBy() : null,
				resolved ? incident.getResolvedBy() : null, awaiting);
	}

	/** {@code https://firebreak.example.com/console/incidents/INC-20261122-0001}. */
	static String consolePage(String publicUrl, String incidentId) {
		String base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
		return base + CONSOLE_INCIDENTS + UriUtils.encodePathSegment(incidentId, StandardCharsets.UTF_8);
	}

	/**
	 * The same notice for someone an escalation policy named, and who the event paged.
	 */
	public Notice to(String recipient, String stage, String paged) {
		return new Notice(this.incidentId, this.sequence, this.event, this.kind, this.title, this.severity, this.status,
				this.escalation, this.happened, this.labels, this.firing, this.alerts, this.alertLines, this.findings,
				this.occurredAt, this.incidentUrl, this.timelineUrl, recipient, stage, paged, this.acknowledgedBy,
				this.resolvedBy, this.awaitingApproval);
	}

	/** The incident's newest findings, bounded. */
	private static List<Finding> findings(Incident incident) {
		return incident.getFindings().stream().limit(FINDINGS).map(Notice::finding).toList();
	}

	private static Finding finding(dev.firebreak.schemas.avro.Finding found) {
		return new Finding(oneLine(found.getRunbookId()), oneLine(found.getStep()), found.getSucceeded(),
				Texts.cut(oneLine(found.getSummary()), FINDING_SUMMARY), output(found.getOutput()),
				found.getCollectedAt());
	}

	/** The output without the blank lines around it, bounded. */
	private static String output(String text) {
		return Texts.cut(text.replaceFirst("^\\s*\\R", "").stripTrailing(), FINDING_OUTPUT);
	}

	/** The text on one line, so that it cannot pass for lines of its own. */
	private static String oneLine(String text) {
		return text.strip().replaceAll("\\s*\\R\\s*", " ");
	}

	private static String happened(IncidentEvent event) {
		Map<String, String> details = event.getDetails();
		String reason = (event.getReason() != null) ? event.getReason() : "";
		String by = event.getActor().getName();
		boolean automation = event.getIncident().getAutomation() == AutomationState.WAITING
				|| event.getIncident().getAutomation() == AutomationState.RUNNING;
		return switch (event.getType()) {
			case OPENED -> "Opened: " + reason
					+ (automation ? " (auto-remediation first: nobody is paged while a runbook has its turn)" : "");
			case SEVERITY_CHANGED -> "Severity raised from " + details.getOrDefault("previous", "?") + " to "
					+ event.getIncident().getSeverity() + ": " + reason;
			case ESCALATED -> "Escalated to " + event.getIncident().getEscalationLevel() + ": " + reason
					+ (details.containsKey("automation") ? ". Automation: " + details.get("automation") : "");
			case AUTOMATION_ENDED -> "Handed to people: " + reason;
			case MAINTENANCE_ENDED -> "Maintenance ended and the incident is still open: " + reason;
			case INHIBITION_ENDED -> "Not a symptom after all, " + reason;
			case REMEDIATION_FAILED -> "Remediation " + details.getOrDefault("runbook", "") + " failed: " + reason;
			case REMEDIATION_AWAITING_APPROVAL ->
				"Remediation " + details.getOrDefault("runbook", "") + " waits for approval: " + reason;
			case REMEDIATION_OUTCOME_UNKNOWN ->
				"Remediation " + details.getOrDefault("runbook", "") + " has an unknown outcome: " + reason;
			case ACKNOWLEDGED -> "Acknowledged by " + by;
			case RESOLVED -> "Resolved" + (reason.isEmpty() ? "" : ": " + reason);
			case REOPENED -> "Reopened: " + reason;
			default -> event.getType() + (reason.isEmpty() ? "" : ": " + reason);
		};
	}

	/** {@code For alice, on call at L1.} */
	public String forWhom() {
		return "For " + this.recipient + ((this.stage != null) ? ", paged at " + this.stage : "") + ".";
	}

	/** {@code [SEV2] INC-20261122-0001 api is down}. */
	public String headline() {
		return "[" + this.severity + "] " + this.incidentId + " " + this.title;
	}

	/** The labels as {@code cluster=eu-1, service=api}. */
	public String labelText() {
		StringBuilder text = new StringBuilder();
		new java.util.TreeMap<>(this.labels).forEach(
				(name, value) -> text.append((text.length() > 0) ? ", " : "").append(name).append('=').append(value));
		return text.toString();
	}

}
