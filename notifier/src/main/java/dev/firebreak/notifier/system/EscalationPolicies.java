package dev.firebreak.notifier.system;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.firebreak.notifier.escalation.EscalationPolicy;
import dev.firebreak.notifier.escalation.Layer;
import dev.firebreak.notifier.escalation.Person;
import dev.firebreak.notifier.escalation.Schedule;
import dev.firebreak.notifier.escalation.Target;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.Severity;

/**
 * The escalation policy of {@code firebreak.notifier.*}: people, schedules and targets.
 */
final class EscalationPolicies {

	private EscalationPolicies() {
	}

	/**
	 * @param destinations every declared destination's channel
	 * @throws IllegalArgumentException naming the property at fault
	 */
	static EscalationPolicy of(NotifierProperties properties, Map<String, Channel> destinations) {
		Map<String, Person> people = new LinkedHashMap<>();
		properties.people()
			.forEach((name, spec) -> people.put(name, new Person(name, spec.email(), spec.slack(), spec.pagerduty())));
		Map<String, Schedule> schedules = new LinkedHashMap<>();
		properties.schedules().forEach((name, spec) -> schedules.put(name, schedule(name, spec)));
		Map<EscalationLevel, List<Target>> levels = new LinkedHashMap<>();
		properties.escalation()
			.levels()
			.forEach((level, targets) -> levels.put(level, targets("escalation.levels." + level, targets)));
		Map<Severity, List<Target>> audiences = new LinkedHashMap<>();
		properties.escalation()
			.audiences()
			.forEach((severity, targets) -> audiences.put(severity,
					targets("escalation.audiences." + severity, targets)));
		return new EscalationPolicy(levels, audiences, schedules, people, destinations);
	}

	private static Schedule schedule(String name, NotifierProperties.ScheduleSpec spec) {
		String field = "schedules." + name;
		ZoneId zone = spec.zone();
		List<Layer> layers = new ArrayList<>();
		for (int i = 0; i < spec.layers().size(); i++) {
			NotifierProperties.LayerSpec layer = spec.layers().get(i);
			String at = field + ".layers[" + i + "]";
			if (layer.people() == null || layer.start() == null || layer.rotation() == null) {
				throw new IllegalArgumentException(at + " needs people, start and rotation");
			}
			try {
				layers.add(new Layer(layer.people(), layer.start(), layer.rotation(),
						(layer.days() != null) ? layer.days() : Set.of(), layer.from(), layer.until()));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(at + ": " + ex.getMessage());
			}
		}
		List<Schedule.Override> overrides = new ArrayList<>();
		for (int i = 0; i < spec.overrides().size(); i++) {
			NotifierProperties.OverrideSpec override = spec.overrides().get(i);
			String at = field + ".overrides[" + i + "]";
			if (override.person() == null || override.from() == null || override.until() == null) {
				throw new IllegalArgumentException(at + " needs person, from and until");
			}
			try {
				overrides.add(new Schedule.Override(override.person(), override.from().atZone(zone).toInstant(),
						override.until().atZone(zone).toInstant()));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(at + ": " + ex.getMessage());
			}
		}
		try {
			return new Schedule(name, zone, layers, overrides);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(field + ": " + ex.getMessage());
		}
	}

	private static List<Target> targets(String field, List<NotifierProperties.TargetSpec> specs) {
		List<Target> targets = new ArrayList<>();
		for (int i = 0; i < specs.size(); i++) {
			NotifierProperties.TargetSpec spec = specs.get(i);
			List<Channel> via = (spec.via() != null) ? spec.via() : List.of();
			int named = ((spec.destination() != null) ? 1 : 0) + ((spec.onCall() != null) ? 1 : 0)
					+ ((spec.person() != null) ? 1 : 0);
			if (named != 1) {
				throw new IllegalArgumentException(
						field + "[" + i + "] needs exactly one of destination, on-call, person");
			}
			if (spec.destination() != null) {
				targets.add(new Target.ToDestination(spec.destination()));
			}
			else if (spec.onCall() != null) {
				targets.add(new Target.ToOnCall(spec.onCall(), via));
			}
			else {
				targets.add(new Target.ToPerson(spec.person(), via));
			}
		}
		return targets;
	}

}
