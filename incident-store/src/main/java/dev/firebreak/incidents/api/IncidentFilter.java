package dev.firebreak.incidents.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.firebreak.incidents.labels.LabelMatchers;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.LabelMatcher;
import dev.firebreak.schemas.avro.Severity;

/**
 * A validated list request: filters, sort and page. Built from query parameters; anything
 * malformed is a {@link BadRequestException} naming the parameter.
 *
 * @param statuses statuses to include (empty: all)
 * @param severities severities to include (empty: all)
 * @param matchers label matchers one alert of the incident must satisfy together
 * @param from opened at or after (inclusive), if set
 * @param to opened before (exclusive), if set
 * @param text text the title contains, ignoring case, if set
 * @param sort the order
 * @param after the cursor: the last item of the previous page, if any
 * @param limit page size
 */
public record IncidentFilter(Set<IncidentStatus> statuses, Set<Severity> severities, List<LabelMatcher> matchers,
		Instant from, Instant to, String text, Sort sort, Cursor after, int limit) {

	static final int DEFAULT_LIMIT = 50;

	static final int MAX_LIMIT = 200;

	enum Sort {

		/** Newest first. */
		TIME,
		/** Most severe first, then newest. */
		SEVERITY

	}

	/** Where a page ends: the sort key of its last item. */
	record Cursor(Sort sort, String severity, Instant openedAt, String id) {

		String encode() {
			String raw = this.sort + "|" + this.severity + "|" + this.openedAt + "|" + this.id;
			return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
		}

		static Cursor decode(String text, Sort sort) {
			try {
				String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|",
						4);
				if (parts.length != 4 || Sort.valueOf(parts[0]) != sort) {
					throw new IllegalArgumentException("not a cursor of this sort");
				}
				return new Cursor(sort, parts[1], Instant.parse(parts[2]), parts[3]);
			}
			catch (RuntimeException ex) {
				throw new BadRequestException("cursor", "is not a cursor this list gave for sort=" + sort);
			}
		}

	}

	public static IncidentFilter of(List<String> statuses, List<String> severities, List<String> matchers, String from,
			String to, String text, String sort, String cursor, Integer limit) {
		Sort order = parse("sort", (sort != null) ? sort : "time", Sort.class);
		int size = (limit != null) ? limit : DEFAULT_LIMIT;
		if (size < 1 || size > MAX_LIMIT) {
			throw new BadRequestException("limit", "must be between 1 and " + MAX_LIMIT);
		}
		Instant since = instant("from", from);
		Instant until = instant("to", to);
		if (since != null && until != null && !since.isBefore(until)) {
			throw new BadRequestException("to", "must be after from");
		}
		if (text != null && text.length() > 200) {
			throw new BadRequestException("q", "must be at most 200 characters");
		}
		return new IncidentFilter(
				Set.copyOf(
						list(statuses).stream().map((value) -> parse("status", value, IncidentStatus.class)).toList()),
				Set.copyOf(list(severities).stream().map((value) -> parse("severity", value, Severity.class)).toList()),
				list(matchers).stream().map(IncidentFilter::matcher).toList(), since, until,
				(text != null && !text.isBlank()) ? text.trim() : null, order,
				(cursor != null && !cursor.isEmpty()) ? Cursor.decode(cursor, order) : null, size);
	}

	private static List<String> list(List<String> values) {
		if (values == null) {
			return List.of();
		}
		// Repeated parameters and comma-separated values both work:
		// status=OPEN,ACKNOWLEDGED.
		return values.stream()
			.flatMap((value) -> List.of(value.split(",")).stream())
			.map(String::trim)
			.filter((value) -> !value.isEmpty())
			.toList();
	}

	private static LabelMatcher matcher(String text) {
		try {
			return LabelMatchers.parse(text);
		}
		catch (IllegalArgumentException ex) {
			throw new BadRequestException("match", ex.getMessage());
		}
	}

	private static <E extends Enum<E>> E parse(String parameter, String value, Class<E> type) {
		try {
			return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new BadRequestException(parameter,
					"'" + value + "' is not one of " + List.of(type.getEnumConstants()));
		}
	}

	static Instant instant(String parameter, String value) {
		if (value == null || value.isEmpty()) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (RuntimeException ex) {
			throw new BadRequestException(parameter,
					"'" + value + "' is not an RFC 3339 time such as 2026-11-22T10:00:00Z");
		}
	}

}
