package dev.firebreak.incidents.incident;

import java.time.Duration;

import dev.firebreak.incidents.escalation.BusinessCalendar;
import dev.firebreak.incidents.escalation.ResponsePolicies;
import dev.firebreak.incidents.escalation.ResponsePolicyLoader;
import dev.firebreak.incidents.inhibition.Inhibitions;

/**
 * The rules an incident lives by, besides correlation: severity, flapping, when a
 * resolved incident reopens, blast radius, how many alerts its record keeps, and how long
 * its state outlives its resolution.
 *
 * @param severity severity from labels, and response times
 * @param flapping when an alert flaps
 * @param reopenWindow how long after resolving a firing alert reopens the incident rather
 * than opening a new one
 * @param blastRadius when the number of affected instances or services raises the
 * severity
 * @param alertsKept how many of the first and of the most recent alerts the record keeps
 * @param retention how long the state of a resolved incident is kept
 * @param reviewInterval how often an unresolved incident is checked against maintenance
 * windows
 * @param responses the response matrix: each alert's response time and escalation clock
 * @param calendar business hours, for "next business day" and "weekly review"
 * @param automationGrace how long the remediation engine has to say a runbook answers
 * before people are paged on the policy's clock
 * @param inhibitions which alerts are symptoms of which causes
 */
public record IncidentPolicy(SeverityPolicy severity, FlapDetector flapping, Duration reopenWindow,
		BlastRadius blastRadius, int alertsKept, Duration retention, Duration reviewInterval,
		ResponsePolicies responses, BusinessCalendar calendar, Duration automationGrace, Inhibitions inhibitions) {

	/** The defaults of ARCHITECTURE.md and the seeds. */
	public static final IncidentPolicy DEFAULT = new IncidentPolicy(SeverityPolicy.DEFAULT, FlapDetector.DEFAULT,
			Duration.ofMinutes(10), BlastRadius.DEFAULT, 5, Duration.ofDays(7), Duration.ofMinutes(1),
			ResponsePolicyLoader.load(null, SeverityPolicy.DEFAULT.responseTimes()), BusinessCalendar.DEFAULT,
			Duration.ofSeconds(30), Inhibitions.NONE);

	/** The same rules with another response matrix. */
	public IncidentPolicy withResponses(ResponsePolicies responses) {
		return new IncidentPolicy(this.severity, this.flapping, this.reopenWindow, this.blastRadius, this.alertsKept,
				this.retention, this.reviewInterval, responses, this.calendar, this.automationGrace, this.inhibitions);
	}

	/** The same rules with another business calendar. */
	public IncidentPolicy withCalendar(BusinessCalendar calendar) {
		return new IncidentPolicy(this.severity, this.flapping, this.reopenWindow, this.blastRadius, this.alertsKept,
				this.retention, this.reviewInterval, this.responses, calendar, this.automationGrace, this.inhibitions);
	}

	/** The same rules keeping another number of alerts. */
	public IncidentPolicy withAlertsKept(int alertsKept) {
		return new IncidentPolicy(this.severity, this.flapping, this.reopenWindow, this.blastRadius, alertsKept,
				this.retention, this.reviewInterval, this.responses, this.calendar, this.automationGrace,
				this.inhibitions);
	}

	/** The same rules with other inhibitions. */
	public IncidentPolicy withInhibitions(Inhibitions inhibitions) {
		return new IncidentPolicy(this.severity, this.flapping, this.reopenWindow, this.blastRadius, this.alertsKept,
				this.retention, this.reviewInterval, this.responses, this.calendar, this.automationGrace, inhibitions);
	}

	public IncidentPolicy {
		requirePositive("reopen window", reopenWindow);
		requirePositive("retention", retention);
		requirePositive("review interval", reviewInterval);
		requirePositive("automation grace", automationGrace);
		if (alertsKept < 1 || alertsKept > AlertBounds.maxAlertsKept()) {
			throw new IllegalArgumentException("alerts kept must be from 1 to " + AlertBounds.maxAlertsKept()
					+ ", so that an incident fits one Kafka record, was " + alertsKept);
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, was " + value);
		}
	}

	/**
	 * Raises an incident's severity once when its alerts span at least this many distinct
	 * instances or services.
	 *
	 * @param instances distinct values of the {@code instance} label
	 * @param services distinct values of the {@code service} label
	 */
	public record BlastRadius(int instances, int services) {

		public static final BlastRadius DEFAULT = new BlastRadius(5, 3);

		public BlastRadius {
			if (instances < 2 || services < 2) {
				throw new IllegalArgumentException("blast radius needs at least 2 instances and 2 services");
			}
		}

		boolean reachedBy(int affectedInstances, int affectedServices) {
			return affectedInstances >= this.instances || affectedServices >= this.services;
		}

	}

}
