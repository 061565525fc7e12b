package dev.firebreak.ingest.webhook;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How large one alert may be. Labels and annotations are untrusted input: bounded here so
 * that no sender can make a record, an incident or a log line unbounded. At the defaults
 * an alert of ASCII text stays under 800 KB, within Kafka's 1 MB record; whatever still
 * encodes larger than the producer's {@code max.request.size} is refused with 413.
 */
public record AlertLimits(@DefaultValue("64") int maxLabels, @DefaultValue("256") int maxLabelNameLength,
		@DefaultValue("4096") int maxLabelValueLength, @DefaultValue("64") int maxAnnotations,
		@DefaultValue("8192") int maxAnnotationValueLength, @DefaultValue("4096") int maxGeneratorUrlLength) {

	public AlertLimits {
		if (maxLabels < 1 || maxLabelNameLength < 1 || maxLabelValueLength < 1 || maxAnnotations < 0
				|| maxAnnotationValueLength < 1 || maxGeneratorUrlLength < 1) {
			throw new IllegalArgumentException("firebreak.ingest.limits.*: every limit must be positive");
		}
	}

}
