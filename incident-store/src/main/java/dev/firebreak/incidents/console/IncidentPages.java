package dev.firebreak.incidents.console;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

import dev.firebreak.incidents.api.BadRequestException;
import dev.firebreak.incidents.api.ConflictException;
import dev.firebreak.incidents.api.IncidentActions;
import dev.firebreak.incidents.api.IncidentActions.Accepted;
import dev.firebreak.incidents.api.IncidentActions.Caller;
import dev.firebreak.incidents.api.IncidentFilter;
import dev.firebreak.incidents.api.IncidentQueries;
import dev.firebreak.incidents.api.IncidentViews.IncidentDetail;
import dev.firebreak.incidents.api.IncidentViews.IncidentSummary;
import dev.firebreak.incidents.api.IncidentViews.Page;
import dev.firebreak.incidents.api.IncidentViews.Remediation;
import dev.firebreak.incidents.api.IncidentViews.TimelineEntry;
import dev.firebreak.incidents.api.NotFoundException;
import dev.firebreak.incidents.api.PostIncidentReport;

/**
 * The console's incident list and incident page, and the operators' actions from them.
 * Pages are rendered on the server and read without script; the list's script only
 * refreshes its rows. An action goes through {@link IncidentActions}, as the API's do,
 * and lands back on the incident's page with what was accepted or why it was refused.
 */
@Controller
@RequestMapping(ConsoleConfiguration.PATH)
class IncidentPages {

	private static final int PAGE_SIZE = 50;

	private final IncidentQueries queries;

	private final IncidentActions actions;

	IncidentPages(IncidentQueries queries, IncidentActions actions) {
		this.queries = queries;
		this.actions = actions;
	}

	@GetMapping
	String home() {
		return "redirect:" + ConsoleConfiguration.PATH + "/incidents";
	}

	/**
	 * What the list shows: the filters as given, so that the form and the links keep
	 * them.
	 */
	record Filters(List<String> status, List<String> severity, String service, List<String> match, String q,
			String sort) {

		Filters {
			status = (status != null) ? status : List.of();
			severity = (severity != null) ? severity : List.of();
			match = (match != null) ? match : List.of();
		}

		IncidentFilter filter(String cursor) {
			List<String> matchers = new ArrayList<>(this.match);
			if (this.service != null && !this.service.isBlank()) {
				matchers.add("service=\"" + this.service.strip().replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
			}
			return IncidentFilter.of(this.status, this.severity, matchers, null, null, blankToNull(this.q),
					blankToNull(this.sort), cursor, PAGE_SIZE);
		}

	}

	/** A row of the list: the incident, and how long ago it opened, in words. */
	record Row(IncidentSummary incident, String age) {

		static Row of(IncidentSummary incident, Instant now) {
			return new Row(incident, Ages.since(incident.openedAt(), now));
		}

	}

	@GetMapping("/incidents")
	String list(Filters filters, @RequestParam(required = false) String cursor, Model model) {
		rows(filters, cursor, model);
		return "console/incidents";
	}

	/** The list's rows alone, which its script fetches every second or two. */
	@GetMapping("/incidents/rows")
	String rows(Filters filters, @RequestParam(required = false) String cursor, Model model) {
		model.addAttribute("filters", filters);
		try {
			Page page = this.queries.list(filters.filter(cursor));
			Instant now = Instant.now();
			model.addAttribute("incidents", page.items().stream().map((item) -> Row.of(item, now)).toList());
			model.addAttribute("nextCursor", page.nextCursor());
		}
		catch (BadRequestException ex) {
			model.addAttribute("incidents", List.of());
			model.addAttribute("filterError", ex.getMessage());
		}
		return "console/incidents :: rows";
	}

	@GetMapping("/incidents/{id}")
	String incident(@PathVariable String id, Model model) {
		IncidentDetail incident = this.queries.find(id).orElseThrow(() -> new NotFoundException("No incident " + id));
		List<TimelineEntry> timeline = this.queries.timeline(id, 0, IncidentQueries.MAX_PAGE);
		List<Remediation> remediations = this.queries.remediations(id);
		model.addAttribute("incident", incident);
		model.addAttribute("story", timeline.stream().map(Story::of).toList());
		model.addAttribute("notifications",
				timeline.stream().filter((entry) -> entry.type().startsWith("NOTIFICATION_")).toList());
		model.addAttribute("remediations", remediations);
		model.addAttribute("plans", plans(timeline));
		model.addAttribute("report", Markdown.html(PostIncidentReport.of(incident, timeline, remediations)));
		return "console/incident";
	}

	/**
	 * What each remediation waiting for approval would do, as the engine said when it
	 * asked: the details of its latest awaiting-approval event, by remediation id.
	 */
	private static Map<String, Map<String, String>> plans(List<TimelineEntry> timeline) {
		return timeline.stream()
			.filter((entry) -> "REMEDIATION_AWAITING_APPROVAL".equals(entry.type()))
			.filter((entry) -> entry.details() != null && entry.details().containsKey("remediationId"))
			.collect(Collectors.toMap((entry) -> entry.details().get("remediationId"), TimelineEntry::details,
					(older, newer) -> newer));
	}

	@GetMapping("/incidents/{id}/report.md")
	ResponseEntity<String> report(@PathVariable String id) {
		IncidentDetail incident = this.queries.find(id).orElseThrow(() -> new NotFoundException("No incident " + id));
		String report = PostIncidentReport.of(incident, this.queries.timeline(id, 0, IncidentQueries.MAX_PAGE),
				this.queries.remediations(id));
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "markdown", StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename("incident-" + id + ".md").build().toString())
			.body(report);
	}

	/**
	 * What an action's form may carry, and its {@code key}: drawn anew for each page
	 * shown ({@link SignedIn}), so that a form sent twice (a double click, a reload) is
	 * one command.
	 */
	record ActionForm(String note, String text, String assignee, String level, String reason, String key) {

		Caller caller(Authentication caller, String action) {
			return SignedIn.acting(caller, this.key, action);
		}

	}

	@PostMapping("/incidents/{id}/acknowledge")
	String acknowledge(@PathVariable String id, ActionForm form, Authentication caller, RedirectAttributes flash) {
		return act(id, flash, "Acknowledged",
				() -> this.actions.acknowledge(id, form.note(), form.caller(caller, "acknowledge")));
	}

	@PostMapping("/incidents/{id}/resolve")
	String resolve(@PathVariable String id, ActionForm form, Authentication caller, RedirectAttributes flash) {
		return act(id, flash, "Resolved", () -> this.actions.resolve(id, form.note(), form.caller(caller, "resolve")));
	}

	@PostMapping("/incidents/{id}/comment")
	String comment(@PathVariable String id, ActionForm form, Authentication caller, RedirectAttributes flash) {
		return act(id, flash, "Comment added",
				() -> this.actions.comment(id, form.text(), form.caller(caller, "comment")));
	}

	@PostMapping("/incidents/{id}/assign")
	String assign(@PathVariable String id, ActionForm form, Authentication caller, RedirectAttributes flash) {
		return act(id, flash, "Assigned",
				() -> this.actions.assign(id, form.assignee(), form.caller(caller, "assign")));
	}

	@PostMapping("/incidents/{id}/escalate")
	String escalate(@PathVariable String id, ActionForm form, Authentication caller, RedirectAttributes flash) {
		return act(id, flash, "Escalated",
				() -> this.actions.escalate(id, form.level(), form.note(), form.caller(caller, "escalate")));
	}

	@PostMapping("/remediations/{id}/approve")
	String approve(@PathVariable String id, ActionForm form, Authentication caller, RedirectAttributes flash) {
		return decide(id, flash, "Approved",
				() -> this.actions.approve(id, form.reason(), form.caller(caller, "approve:" + id)));
	}

	@PostMapping("/remediations/{id}/reject")
	String reject(@PathVariable String id, ActionForm form, Authentication caller, RedirectAttributes flash) {
		return decide(id, flash, "Rejected",
				() -> this.actions.reject(id, form.reason(), form.caller(caller, "reject:" + id)));
	}

	private String decide(String remediationId, RedirectAttributes flash, String done, Supplier<Accepted> action) {
		Accepted accepted;
		try {
			accepted = action.get();
		}
		catch (BadRequestException | ConflictException ex) {
			String incidentId = this.queries.remediation(remediationId).orElseThrow().incidentId();
			flash.addFlashAttribute("refused", ex.getMessage());
			return page(incidentId);
		}
		flash.addFlashAttribute("done",
				done + " remediation " + remediationId + " (command " + accepted.commandId() + ")");
		return page(accepted.incidentId());
	}

	private String act(String id, RedirectAttributes flash, String done, Supplier<Accepted> action) {
		try {
			Accepted accepted = action.get();
			flash.addFlashAttribute("done", done + " (command " + accepted.commandId() + ")");
		}
		catch (BadRequestException | ConflictException ex) {
			flash.addFlashAttribute("refused", ex.getMessage());
		}
		return page(id);
	}

	private static String page(String incidentId) {
		return "redirect:" + ConsoleConfiguration.PATH + "/incidents/"
				+ UriUtils.encodePathSegment(incidentId, StandardCharsets.UTF_8);
	}

	@ExceptionHandler(NotFoundException.class)
	@ResponseStatus(HttpStatus.NOT_FOUND)
	String missing(NotFoundException ex, Model model) {
		model.addAttribute("message", ex.getMessage());
		return "console/missing";
	}

	private static String blankToNull(String text) {
		return (text == null || text.isBlank()) ? null : text;
	}

}
