package dev.firebreak.incidents.system;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.firebreak.incidents.correlation.CorrelationKey;
import dev.firebreak.incidents.correlation.Grouping;
import dev.firebreak.incidents.correlation.IncidentTopology;
import dev.firebreak.incidents.escalation.BusinessCalendar;
import dev.firebreak.incidents.escalation.ResponsePolicyLoader;
import dev.firebreak.incidents.heartbeat.Heartbeat;
import dev.firebreak.incidents.incident.FlapDetector;
import dev.firebreak.incidents.incident.IncidentPolicy;
import dev.firebreak.incidents.incident.SeverityPolicy;
import dev.firebreak.incidents.inhibition.InhibitionRule;
import dev.firebreak.incidents.inhibition.Inhibitions;
import dev.firebreak.incidents.labels.Selector;
import dev.firebreak.incidents.maintenance.WindowSpec;
import dev.firebreak.schemas.avro.MaintenanceWindow;
import dev.firebreak.schemas.avro.Severity;

/**
 * How incident-store groups alerts into incidents and runs their lifecycle
 * ({@code firebreak.incidents.*}). Every rule is checked at startup, and a bad value
 * stops the service with a message that names the property.
 *
 * @param correlation which labels group alerts
 * @param severity which labels give severity, and response times
 * @param flapping when an alert flaps
 * @param reopenWindow how long after resolving a firing alert reopens the incident
 * @param blastRadius how many instances or services raise the severity
 * @param alertsKept how many first and most recent alerts an incident record keeps
 * @param retention how long a resolved incident's state is kept
 * @param reviewInterval how often unresolved incidents are checked against maintenance
 * windows
 * @param reviewTick how often (wall-clock) due escalations and reviews are looked for
 * @param commandRetention how long command ids are remembered to apply each once
 * @param maintenanceWindows windows from configuration (more arrive as commands)
 * @param responsePolicies a YAML file of response policies; unset, the seeds' matrix
 * @param businessHours when the team works, for "next business day" and "weekly review"
 * @param automationGrace how long the remediation engine has to say a runbook answers
 * before people are paged on the policy's clock
 * @param inhibition which alerts are symptoms of which causes
 * @param heartbeat the heartbeat alert the dead man's switch expects
 * @param jsonMirror whether incidents and events are also written as JSON
 */
@ConfigurationProperties("firebreak.incidents")
public record IncidentsProperties(@DefaultValue Correlation correlation, @DefaultValue SeverityRules severity,
		@DefaultValue Flapping flapping, @DefaultValue("10m") Duration reopenWindow,
		@DefaultValue BlastRadius blastRadius, @DefaultValue("5") int alertsKept,
		@DefaultValue("7d") Duration retention, @DefaultValue("1m") Duration reviewInterval,
		@DefaultValue("5s") Duration reviewTick, @DefaultValue("7d") Duration commandRetention,
		List<WindowSpec> maintenanceWindows, Path responsePolicies, @DefaultValue BusinessHours businessHours,
		@DefaultValue("30s") Duration automationGrace, @DefaultValue Inhibition inhibition,
		@DefaultValue HeartbeatSpec heartbeat, @DefaultValue JsonMirror jsonMirror) {

	private static final String WINDOWS = "firebreak.incidents.maintenance-windows";

	public IncidentsProperties {
		maintenanceWindows = (maintenanceWindows != null) ? List.copyOf(maintenanceWindows) : List.of();
		if (reviewTick.isNegative() || reviewTick.isZero()) {
			throw new IllegalArgumentException("firebreak.incidents.review-tick must be positive");
		}
		if (commandRetention.isNegative() || commandRetention.isZero()) {
			throw new IllegalArgumentException("firebreak.incidents.command-retention must be positive");
		}
		if (maintenanceWindows.stream().map(WindowSpec::id).distinct().count() != maintenanceWindows.size()) {
			throw new IllegalArgumentException("firebreak.incidents.maintenance-windows: ids must be unique");
		}
		correlation.grouping();
		heartbeat.heartbeat(severity);
		policy(severity, flapping, reopenWindow, blastRadius, alertsKept, retention, reviewInterval, responsePolicies,
				businessHours, automationGrace, inhibition);
		for (int i = 0; i < maintenanceWindows.size(); i++) {
			maintenanceWindows.get(i).toWindow(WINDOWS + "[" + i + "]");
		}
	}

	/** The topology's settings for {@code partitions} partitions. */
	public IncidentTopology.Settings settings(int partitions) {
		List<MaintenanceWindow> windows = new ArrayList<>();
		for (int i = 0; i < this.maintenanceWindows.size(); i++) {
			windows.add(this.maintenanceWindows.get(i).toWindow(WINDOWS + "[" + i + "]"));
		}
		return new IncidentTopology.Settings(this.correlation.grouping(),
				policy(this.severity, this.flapping, this.reopenWindow, this.blastRadius, this.alertsKept,
						this.retention, this.reviewInterval, this.responsePolicies, this.businessHours,
						this.automationGrace, this.inhibition),
				partitions, this.reviewTick, this.commandRetention, windows, this.heartbeat.heartbeat(this.severity),
				this.jsonMirror.enabled());
	}

	private static IncidentPolicy policy(SeverityRules severity, Flapping flapping, Duration reopenWindow,
			BlastRadius blastRadius, int alertsKept, Duration retention, Duration reviewInterval, Path responsePolicies,
			BusinessHours businessHours, Duration automationGrace, Inhibition inhibition) {
		try {
			SeverityPolicy severityPolicy = severity.policy();
			return new IncidentPolicy(severityPolicy, flapping.detector(), reopenWindow,
					new IncidentPolicy.BlastRadius(blastRadius.instances(), blastRadius.services()), alertsKept,
					retention, reviewInterval,
					ResponsePolicyLoader.load(responsePolicies, severityPolicy.responseTimes()),
					businessHours.calendar(), automationGrace, inhibition.inhibitions());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("firebreak.incidents: " + ex.getMessage(), ex);
		}
	}

	/**
	 * @param scope the default rule's labels added to the key when present (default
	 * cluster)
	 * @param anchors the default rule's labels tried in order, the first present anchors
	 * the key (default service, job, alertname)
	 * @param rules grouping rules tried first, in order
	 */
	public record Correlation(@DefaultValue("cluster") List<String> scope, @DefaultValue( {
			"service", "job", "alertname" }) List<String> anchors, List<GroupingRuleSpec> rules){

		Grouping grouping() {
			List<Grouping.Rule> grouping = new ArrayList<>();
			List<GroupingRuleSpec> specs = (this.rules != null) ? this.rules : List.of();
			for (int i = 0; i < specs.size(); i++) {
				GroupingRuleSpec spec = specs.get(i);
				String field = "firebreak.incidents.correlation.rules[" + i + "]";
				try {
					if (spec.name() == null || spec.key() == null) {
						throw new IllegalArgumentException("needs a name and key labels");
					}
					grouping.add(new Grouping.Rule(spec.name(),
							Selector.parse((spec.matchers() != null) ? spec.matchers() : List.of()), spec.key()));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(field + ": " + ex.getMessage());
				}
			}
			try {
				return new Grouping(grouping, new CorrelationKey.Rule(this.scope, this.anchors));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("firebreak.incidents.correlation: " + ex.getMessage());
			}
		}

	}

	/**
	 * A grouping rule: alerts all of whose {@code matchers} hold are grouped by the
	 * {@code key} labels.
	 */
	public record GroupingRuleSpec(String name, List<String> matchers, List<String> key) {

	}

	/**
	 * @param rules inhibition rules, in Alertmanager's shape
	 * @param dependencies each service's dependencies: an outage of one inhibits the
	 * dependent's alerts
	 * @param outage what makes a dependency's alert an outage (default a firing
	 * {@code alertname=~".*Down"})
	 * @param equal the labels a dependency's rules hold equal (default cluster)
	 * @param gracePeriod how long an alert that may be a symptom waits for its cause
	 * (rules and dependencies alike, unless a rule says otherwise; 0s: not at all)
	 * @param onCauseResolved what becomes of symptoms when their cause resolves: RELEASE
	 * (handled on their own from then) or RESOLVE
	 */
	public record Inhibition(List<InhibitionRuleSpec> rules, Map<String, List<String>> dependencies,
			@DefaultValue("alertname=~\".*Down\"") List<String> outage, @DefaultValue("cluster") List<String> equal,
			@DefaultValue("30s") Duration gracePeriod,
			@DefaultValue("RELEASE") InhibitionRule.OnCauseResolved onCauseResolved) {

		Inhibitions inhibitions() {
			List<InhibitionRule> written = new ArrayList<>();
			List<InhibitionRuleSpec> specs = (this.rules != null) ? this.rules : List.of();
			for (int i = 0; i < specs.size(); i++) {
				InhibitionRuleSpec spec = specs.get(i);
				String field = "firebreak.incidents.inhibition.rules[" + i + "]";
				try {
					if (spec.name() == null || spec.source() == null || spec.target() == null) {
						throw new IllegalArgumentException("needs a name, source and target matchers");
					}
					written.add(new InhibitionRule(spec.name(), Selector.parse(spec.source()),
							Selector.parse(spec.target()), (spec.equal() != null) ? spec.equal() : List.of(),
							(spec.gracePeriod() != null) ? spec.gracePeriod() : this.gracePeriod,
							(spec.onCauseResolved() != null) ? spec.onCauseResolved() : this.onCauseResolved));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(field + ": " + ex.getMessage());
				}
			}
			try {
				return Inhibitions.of(written, (this.dependencies != null) ? this.dependencies : Map.of(),
						Selector.parse(this.outage), this.equal, this.gracePeriod, this.onCauseResolved);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("firebreak.incidents.inhibition: " + ex.getMessage());
			}
		}

	}

	/**
	 * An inhibition rule: alerts its {@code target} matchers select are symptoms of a
	 * firing alert its {@code source} matchers select with the same {@code equal} labels.
	 */
	public record InhibitionRuleSpec(String name, List<String> source, List<String> target, List<String> equal,
			Duration gracePeriod, InhibitionRule.OnCauseResolved onCauseResolved) {

	}

	/**
	 * @param label the label with critical / warning / info
	 * @param priorityLabels labels with an explicit P0–P4 or SEV1–SEV4, tried first
	 * @param responseTimes per severity, how long until an unacknowledged incident
	 * escalates (defaults SEV1 15m, SEV2 1h, SEV3 4h, SEV4 24h)
	 */
	public record SeverityRules(@DefaultValue("severity") String label, @DefaultValue( {
			"priority", "sev" }) List<String> priorityLabels, Map<Severity, Duration> responseTimes){

		SeverityPolicy policy() {
			Map<Severity, Duration> times = new EnumMap<>(SeverityPolicy.DEFAULT.responseTimes());
			if (this.responseTimes != null) {
				times.putAll(this.responseTimes);
			}
			return new SeverityPolicy(this.label, this.priorityLabels, times);
		}

	}

	/**
	 * When the team works: days and hours in a zone, holidays, and the weekly review's
	 * day (defaults Monday to Friday, 09:00 to 17:00, UTC, reviews on Mondays).
	 *
	 * @param zone an IANA zone such as Europe/Berlin
	 * @param days working days
	 * @param start start of a working day
	 * @param end end of a working day
	 * @param holidays dates off
	 * @param reviewDay day of the weekly review
	 */
	public record BusinessHours(@DefaultValue("UTC") ZoneId zone, @DefaultValue( {
			"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY" }) Set<DayOfWeek> days,
			@DefaultValue("09:00") LocalTime start, @DefaultValue("17:00") LocalTime end, Set<LocalDate> holidays,
			@DefaultValue("MONDAY") DayOfWeek reviewDay){

		BusinessCalendar calendar() {
			try {
				return new BusinessCalendar(this.zone, this.days, this.start, this.end,
						(this.holidays != null) ? this.holidays : Set.of(), this.reviewDay);
			}
			catch (IllegalArgumentException ex) {
				// The message says it all; the property is what the operator needs.
				throw new IllegalArgumentException("firebreak.incidents.business-hours: " + ex.getMessage());
			}
		}

	}

	/**
	 * @param threshold state changes that make an alert flap
	 * @param window within how long
	 * @param quietPeriod how long without a change until the flag clears
	 */
	public record Flapping(@DefaultValue("4") int threshold, @DefaultValue("30m") Duration window,
			@DefaultValue("30m") Duration quietPeriod) {

		FlapDetector detector() {
			return new FlapDetector(this.threshold, this.window, this.quietPeriod);
		}

	}

	/**
	 * The dead man's switch (defaults: {@code Watchdog}, silent after 5m, watched).
	 *
	 * @param alertname the always-firing heartbeat alert; it never becomes an incident
	 * @param silentAfter how long without it opens the SEV1 incident "alerting pipeline
	 * silent"; longer than its repeat interval in Alertmanager
	 * @param watch whether to watch it at all
	 */
	public record HeartbeatSpec(@DefaultValue("Watchdog") String alertname, @DefaultValue("5m") Duration silentAfter,
			@DefaultValue("true") boolean watch) {

		Heartbeat heartbeat(SeverityRules severity) {
			try {
				return new Heartbeat(this.alertname, this.silentAfter, this.watch,
						severity.priorityLabels().isEmpty() ? null : severity.priorityLabels().get(0));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("firebreak.incidents.heartbeat: " + ex.getMessage(), ex);
			}
		}

	}

	/**
	 * The JSON mirror, for readers without Avro (Kafka Connect sinks, ksqlDB, scripts):
	 * off by default.
	 *
	 * @param enabled whether every incident and event is also written as JSON to
	 * {@code firebreak.incidents.json} and {@code firebreak.incident-events.json}, in the
	 * same transaction as the Avro records (the topics are created when missing)
	 */
	public record JsonMirror(@DefaultValue("false") boolean enabled) {

	}

	/**
	 * @param instances distinct instances that raise the severity once
	 * @param services distinct services that raise the severity once
	 */
	public record BlastRadius(@DefaultValue("5") int instances, @DefaultValue("3") int services) {

	}

	/**
	 * A maintenance window from configuration: matchers as in Alertmanager
	 * ({@code service=db}, {@code env=~"prod.*"}), and either a one-off range or weekly
	 * days and times in a zone (seed 000: SUNDAY, 02:00–04:00, UTC).
	 */

}
