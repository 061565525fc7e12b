package dev.firebreak.notifier.escalation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.Severity;

/**
 * Who is told at each escalation level (seed 004: on-call engineer, engineering manager,
 * CTO, crisis team), and who hears of an incident of each severity (seed 001's "Notify":
 * management and the status page for critical). Each target is told once per incident and
 * level (or severity), when the incident reaches it and automation no longer holds
 * paging.
 *
 * @param levels the targets of each level
 * @param audiences the targets of each severity
 * @param schedules the on-call schedules, by name
 * @param people the people, by name
 * @param destinations the channel of each destination, by name
 */
public record EscalationPolicy(Map<EscalationLevel, List<Target>> levels, Map<Severity, List<Target>> audiences,
		Map<String, Schedule> schedules, Map<String, Person> people, Map<String, Channel> destinations) {

	/** No targets: the routes alone decide. */
	public static final EscalationPolicy NONE = new EscalationPolicy(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

	public EscalationPolicy {
		levels = copy(levels, EscalationLevel.class);
		audiences = copy(audiences, Severity.class);
		schedules = Map.copyOf(schedules);
		people = Map.copyOf(people);
		destinations = Map.copyOf(destinations);
		List<String> problems = new ArrayList<>();
		Names names = new Names(schedules, people, destinations);
		levels.forEach((level, targets) -> names.check("escalation.levels." + level, targets, problems));
		audiences.forEach((severity, targets) -> names.check("escalation.audiences." + severity, targets, problems));
		if (!problems.isEmpty()) {
			throw new IllegalArgumentException(String.join("; ", problems));
		}
	}

	/**
	 * The destinations its targets can reach: theirs, and those of the people they name.
	 */
	public Set<String> destinationsUsed() {
		Set<String> used = new TreeSet<>();
		Stream.concat(this.levels.values().stream(), this.audiences.values().stream())
			.flatMap(List::stream)
			.forEach((target) -> {
				if (target instanceof Target.ToDestination destination) {
					used.add(destination.destination());
				}
				else {
					List<Channel> via = (target instanceof Target.ToOnCall onCall) ? onCall.via()
							: ((Target.ToPerson) target).via();
					for (String person : peopleOf(target)) {
						for (Channel channel : via) {
							used.add(switch (channel) {
								case EMAIL -> "email";
								case SLACK -> "slack";
								default -> this.people.get(person).pagerduty();
							});
						}
					}
				}
			});
		return used;
	}

	private List<String> peopleOf(Target target) {
		if (target instanceof Target.ToOnCall onCall) {
			Schedule schedule = this.schedules.get(onCall.schedule());
			return Stream
				.concat(schedule.layers().stream().flatMap((layer) -> layer.people().stream()),
						schedule.overrides().stream().map(Schedule.Override::person))
				.distinct()
				.toList();
		}
		return List.of(((Target.ToPerson) target).person());
	}

	/** Whether any level or audience names a target. */
	public boolean isEmpty() {
		return this.levels.values().stream().allMatch(List::isEmpty)
				&& this.audiences.values().stream().allMatch(List::isEmpty);
	}

	/**
	 * The stages an incident as it stands is due to have told: every level up to its own
	 * (an incident that opens at L2 tells L1 as well), and its severity's audience.
	 */
	public Map<String, List<Target>> stages(Incident incident) {
		Map<String, List<Target>> stages = new LinkedHashMap<>();
		for (EscalationLevel level : EscalationLevel.values()) {
			if (level.ordinal() <= incident.getEscalationLevel().ordinal()) {
				stages.put(level.name(), this.levels.getOrDefault(level, List.of()));
			}
		}
		stages.put(incident.getSeverity().name(), this.audiences.getOrDefault(incident.getSeverity(), List.of()));
		stages.values().removeIf(List::isEmpty);
		return stages;
	}

	/**
	 * The messages a target needs now: one for a destination, one per channel for the
	 * person on call (none when the schedule has nobody on call then).
	 */
	public List<Reach> reach(String stage, Target target, Instant at) {
		if (target instanceof Target.ToDestination destination) {
			return List.of(new Reach(stage, target.name(), this.destinations.get(destination.destination()),
					destination.destination(), null, destination.destination()));
		}
		if (target instanceof Target.ToOnCall onCall) {
			return this.schedules.get(onCall.schedule())
				.onCall(at)
				.map((person) -> contact(stage, target, this.people.get(person), onCall.via()))
				.orElse(List.of());
		}
		Target.ToPerson person = (Target.ToPerson) target;
		return contact(stage, target, this.people.get(person.person()), person.via());
	}

	private static List<Reach> contact(String stage, Target target, Person person, List<Channel> via) {
		List<Reach> reach = new ArrayList<>();
		for (Channel channel : via) {
			switch (channel) {
				case EMAIL ->
					reach.add(new Reach(stage, target.name(), channel, "email", person.email(), person.name()));
				case SLACK ->
					reach.add(new Reach(stage, target.name(), channel, "slack", person.slack(), person.name()));
				case PAGERDUTY ->
					reach.add(new Reach(stage, target.name(), channel, person.pagerduty(), null, person.name()));
				default -> throw new IllegalStateException("people are reached by email, Slack or PagerDuty");
			}
		}
		return reach;
	}

	/** What targets may name: checks each, noting every problem with its property. */
	private record Names(Map<String, Schedule> schedules, Map<String, Person> people,
			Map<String, Channel> destinations) {

		private void check(String field, List<Target> targets, List<String> problems) {
			for (int i = 0; i < targets.size(); i++) {
				String at = field + "[" + i + "]";
				Target target = targets.get(i);
				if (target instanceof Target.ToDestination destination) {
					if (!this.destinations.containsKey(destination.destination())) {
						problems.add(at + " names destination '" + destination.destination()
								+ "', which is not configured (firebreak.notifier.destinations.*)");
					}
				}
				else if (target instanceof Target.ToOnCall onCall) {
					Schedule schedule = this.schedules.get(onCall.schedule());
					if (schedule == null) {
						problems.add(at + " names schedule '" + onCall.schedule()
								+ "', which is not configured (firebreak.notifier.schedules.*)");
						continue;
					}
					String where = at + " (schedule " + onCall.schedule() + ")";
					schedule.layers()
						.stream()
						.flatMap((layer) -> layer.people().stream())
						.distinct()
						.forEach((person) -> checkPerson(where, person, onCall.via(), problems));
					schedule.overrides()
						.forEach((override) -> checkPerson(where, override.person(), onCall.via(), problems));
				}
				else if (target instanceof Target.ToPerson person) {
					checkPerson(at, person.person(), person.via(), problems);
				}
			}
		}

		private void checkPerson(String at, String name, List<Channel> via, List<String> problems) {
			Person person = this.people.get(name);
			if (person == null) {
				problems.add(at + " names '" + name + "', who is not in firebreak.notifier.people");
				return;
			}
			if (via.isEmpty()) {
				problems.add(at + " needs via: the channels that reach " + name + " (EMAIL, SLACK, PAGERDUTY)");
			}
			for (Channel channel : via) {
				Optional<String> missing = switch (channel) {
					case EMAIL -> (person.email() == null)
							? Optional.of("has no email address (people." + name + ".email)") : Optional.empty();
					case SLACK -> (person.slack() == null)
							? Optional.of("has no Slack user id (people." + name + ".slack)") : Optional.empty();
					case PAGERDUTY -> (person.pagerduty() == null)
							? Optional.of("has no PagerDuty destination (people." + name + ".pagerduty)")
							: Optional.empty();
					default -> Optional.of("cannot be reached on " + channel + ": people are reached by EMAIL, SLACK "
							+ "or PAGERDUTY");
				};
				missing.ifPresent((what) -> problems.add(at + ": " + name + " " + what));
				if (channel == Channel.PAGERDUTY && person.pagerduty() != null
						&& !this.destinations.containsKey(person.pagerduty())) {
					problems.add("people." + name + ".pagerduty names destination '" + person.pagerduty()
							+ "', which is not configured");
				}
				if ((channel == Channel.EMAIL && !this.destinations.containsKey("email"))
						|| (channel == Channel.SLACK && !this.destinations.containsKey("slack"))) {
					problems.add(at + " reaches " + name + " by " + channel + ", which is not configured");
				}
			}
		}

	}

	private static <K extends Enum<K>> Map<K, List<Target>> copy(Map<K, List<Target>> map, Class<K> type) {
		Map<K, List<Target>> copy = new EnumMap<>(type);
		map.forEach((key, targets) -> copy.put(key, List.copyOf(targets)));
		return copy;
	}

}
