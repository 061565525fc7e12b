package dev.firebreak.incidents.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.firebreak.incidents.api.IncidentViews.Alert;
import dev.firebreak.incidents.api.IncidentViews.IncidentDetail;
import dev.firebreak.incidents.api.IncidentViews.Page;
import dev.firebreak.incidents.api.IncidentViews.Stats;
import dev.firebreak.incidents.api.IncidentViews.TimelineEntry;

/** The operators' reads: incidents, their timelines and reports, and figures. */
@RestController
@RequestMapping("/api/v1")
class IncidentController {

	/** The longest range {@code /stats} covers in one request. */
	private static final Duration MAX_STATS_RANGE = Duration.ofDays(366);

	private final IncidentQueries queries;

	IncidentController(IncidentQueries queries) {
		this.queries = queries;
	}

	@GetMapping("/incidents")
	Page list(@RequestParam(required = false) List<String> status,
			@RequestParam(required = false) List<String> severity, @RequestParam(required = false) List<String> match,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String q, @RequestParam(required = false) String sort,
			@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
		return this.queries.list(IncidentFilter.of(status, severity, match, from, to, q, sort, cursor, limit));
	}

	@GetMapping("/incidents/{id}")
	IncidentDetail incident(@PathVariable String id) {
		return this.queries.find(id).orElseThrow(() -> unknown(id));
	}

	/**
	 * The timeline a page at a time: the events after {@code after}, at most
	 * {@code limit}; a {@code Link: <...>; rel="next"} header points to the next page.
	 */
	@GetMapping("/incidents/{id}/timeline")
	ResponseEntity<List<TimelineEntry>> timeline(@PathVariable String id, @RequestParam(defaultValue = "0") long after,
			@RequestParam(defaultValue = "500") int limit) {
		int size = pageSize(limit);
		List<TimelineEntry> timeline = this.queries.timeline(id, after, size);
		if (timeline.isEmpty() && this.queries.status(id).isEmpty()) {
			throw unknown(id);
		}
		return page(timeline, size, "/api/v1/incidents/" + id + "/timeline?after=",
				(entry) -> Long.toString(entry.sequence()));
	}

	/** Every alert of an incident, a page at a time, by fingerprint. */
	@GetMapping("/incidents/{id}/alerts")
	ResponseEntity<List<Alert>> alerts(@PathVariable String id, @RequestParam(defaultValue = "") String after,
			@RequestParam(defaultValue = "500") int limit) {
		int size = pageSize(limit);
		List<Alert> alerts = this.queries.alerts(id, after, size);
		if (alerts.isEmpty() && this.queries.status(id).isEmpty()) {
			throw unknown(id);
		}
		return page(alerts, size, "/api/v1/incidents/" + id + "/alerts?after=", Alert::fingerprint);
	}

	@GetMapping(path = "/incidents/{id}/report", produces = "text/markdown;charset=UTF-8")
	String report(@PathVariable String id) {
		IncidentDetail incident = incident(id);
		return PostIncidentReport.of(incident, this.queries.timeline(id, 0, IncidentQueries.MAX_PAGE),
				this.queries.remediations(id));
	}

	private static int pageSize(int limit) {
		if (limit < 1 || limit > IncidentQueries.MAX_PAGE) {
			throw new BadRequestException("limit", "must be from 1 to " + IncidentQueries.MAX_PAGE);
		}
		return limit;
	}

	private static <T> ResponseEntity<List<T>> page(List<T> rows, int size, String next, Function<T, String> key) {
		ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
		if (rows.size() == size) {
			String after = URLEncoder.encode(key.apply(rows.get(rows.size() - 1)), StandardCharsets.UTF_8);
			answer.header(HttpHeaders.LINK, "<" + next + after + "&limit=" + size + ">; rel=\"next\"");
		}
		return answer.body(rows);
	}

	@GetMapping(path = "/stats", produces = MediaType.APPLICATION_JSON_VALUE)
	Stats stats(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
		Instant until = (to != null) ? IncidentFilter.instant("to", to) : Instant.now();
		Instant since = (from != null) ? IncidentFilter.instant("from", from) : until.minus(Duration.ofDays(7));
		if (!since.isBefore(until)) {
			throw new BadRequestException("to", "must be after from");
		}
		if (Duration.between(since, until).compareTo(MAX_STATS_RANGE) > 0) {
			throw new BadRequestException("from", "the range may span at most " + MAX_STATS_RANGE.toDays() + " days");
		}
		return this.queries.stats(since, until);
	}

	static NotFoundException unknown(String id) {
		return new NotFoundException("No incident " + id);
	}

}
