package dev.firebreak.ingest.webhook;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How large one alert may be. Labels and annotations are untrusted input: bounded here so
 * that no sender can make a record, an incident or a log line unbounded.
 */
public record AlertLimits(@DefaultValue("64") int maxLabels, @DefaultValue("256") int maxLabelNameLength,
		@DefaultValue("4096") int maxLabelValueLength, @DefaultValue("64") int maxAnnotations,
		@DefaultValue("16384") int maxAnnotationValueLength, @DefaultValue("4096") int maxGeneratorUrlLength) {

	public AlertLimits {
		if (maxLabels < 1 || maxLabelNameLength < 1 || maxLabelValueLength < 1 || maxAnnotations < 0
				|| maxAnnotationValueLength < 1 || maxGeneratorUrlLength < 1) {
			throw new IllegalArgumentException("firebreak.ingest.limits.*: every limit must be positive");
		}
	}

}
