package dev.firebreak.notifier.escalation;

import java.util.List;

import dev.firebreak.schemas.avro.Channel;

/**
 * Who a level of an escalation policy, or a severity's audience, tells: a destination as
 * it is (a PagerDuty service, a Slack channel, an email list, a webhook), whoever an
 * on-call schedule names at that moment, or one person; the last two by the channels
 * given, each through that person's contact.
 */
public sealed interface Target {

	/** Its name in the page records and the timeline. */
	String name();

	/** A destination by its name. */
	record ToDestination(String destination) implements Target {

		@Override
		public String name() {
			return this.destination;
		}

	}

	/** Whoever a schedule has on call when the message goes. */
	record ToOnCall(String schedule, List<Channel> via) implements Target {

		public ToOnCall {
			via = List.copyOf(via);
		}

		@Override
		public String name() {
			return "on-call:" + this.schedule;
		}

	}

	/** One person. */
	record ToPerson(String person, List<Channel> via) implements Target {

		public ToPerson {
			via = List.copyOf(via);
		}

		@Override
		public String name() {
			return "person:" + this.person;
		}

	}

}
