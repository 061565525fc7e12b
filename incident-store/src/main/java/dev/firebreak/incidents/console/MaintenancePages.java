package dev.firebreak.incidents.console;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.firebreak.incidents.api.BadRequestException;
import dev.firebreak.incidents.api.ConflictException;
import dev.firebreak.incidents.api.IncidentActions;
import dev.firebreak.incidents.api.IncidentActions.Accepted;
import dev.firebreak.incidents.api.IncidentQueries;
import dev.firebreak.incidents.api.IncidentViews.OpenIncident;
import dev.firebreak.incidents.api.MaintenanceWindows;
import dev.firebreak.incidents.api.NotFoundException;
import dev.firebreak.incidents.maintenance.MaintenanceSchedule;
import dev.firebreak.incidents.maintenance.WindowSpec;
import dev.firebreak.schemas.avro.MaintenanceWindow;

/**
 * Maintenance windows in the console: those in force, a form for a one-off window (label
 * matchers, start and end in UTC) with a preview of the open incidents it would cover
 * before it is created, and ending a window added here or through the API.
 */
@Controller
@RequestMapping(ConsoleConfiguration.PATH + "/maintenance")
class MaintenancePages {

	private final MaintenanceWindows windows;

	private final IncidentQueries queries;

	private final IncidentActions actions;

	MaintenancePages(MaintenanceWindows windows, IncidentQueries queries, IncidentActions actions) {
		this.windows = windows;
		this.queries = queries;
		this.actions = actions;
	}

	/** A window as the form holds it: times as {@code 2026-12-02T08:00}, in UTC. */
	record WindowForm(String id, String name, String matchers, String startsAt, String endsAt, String reason,
			String key) {

		WindowSpec spec() {
			List<String> lines = (this.matchers != null) ? Arrays.stream(this.matchers.split("\\R"))
				.map(String::strip)
				.filter((line) -> !line.isEmpty())
				.toList() : List.of();
			return new WindowSpec(blankToNull(this.id), blankToNull(this.name), lines, time("startsAt", this.startsAt),
					time("endsAt", this.endsAt), null, null, null, null, blankToNull(this.reason));
		}

		static WindowForm blank(Instant now) {
			LocalDateTime start = LocalDateTime.ofInstant(now.truncatedTo(ChronoUnit.MINUTES), ZoneOffset.UTC);
			return new WindowForm("", "", "", start.toString(), start.plusHours(1).toString(), "", null);
		}

		private static Instant time(String field, String text) {
			if (text == null || text.isBlank()) {
				throw new BadRequestException(field, "is required");
			}
			try {
				return LocalDateTime.parse(text.strip()).toInstant(ZoneOffset.UTC);
			}
			catch (DateTimeParseException ex) {
				throw new BadRequestException(field, "must be a UTC time such as 2026-12-02T08:00");
			}
		}

		private static String blankToNull(String text) {
			return (text == null || text.isBlank()) ? null : text.strip();
		}

	}

	/** A window in force and whether it is on now. */
	record WindowRow(WindowSpec window, String source, boolean on) {
	}

	@GetMapping
	String windows(Model model) {
		Instant now = Instant.now();
		model.addAttribute("windows", rows(now));
		model.addAttribute("form", WindowForm.blank(now));
		return "console/maintenance";
	}

	/** The form's window not yet created: which open incidents it would cover. */
	@PostMapping("/preview")
	String preview(WindowForm form, Model model) {
		Instant now = Instant.now();
		model.addAttribute("windows", rows(now));
		model.addAttribute("form", form);
		try {
			MaintenanceWindow window = IncidentActions.window(form.spec());
			model.addAttribute("covered", covered(window));
			model.addAttribute("onNow", MaintenanceSchedule.isOn(window, now));
		}
		catch (BadRequestException ex) {
			model.addAttribute("refused", ex.getMessage());
		}
		return "console/maintenance";
	}

	private List<WindowRow> rows(Instant now) {
		List<WindowRow> rows = new ArrayList<>();
		this.windows.configured()
			.forEach((window) -> rows
				.add(new WindowRow(WindowSpec.of(window), "configuration", MaintenanceSchedule.isOn(window, now))));
		this.windows.added()
			.forEach((window) -> rows
				.add(new WindowRow(WindowSpec.of(window), "console or API", MaintenanceSchedule.isOn(window, now))));
		return rows;
	}

	/** The open incidents whose latest alert's labels the window's matchers select. */
	private List<OpenIncident> covered(MaintenanceWindow window) {
		return this.queries.openIncidents()
			.stream()
			.filter((incident) -> MaintenanceSchedule.matches(window, incident.labels()))
			.toList();
	}

	@PostMapping
	String add(WindowForm form, Authentication caller, RedirectAttributes flash) {
		try {
			Accepted accepted = this.actions.addWindow(form.spec(), SignedIn.acting(caller, form.key(), "add-window"));
			flash.addFlashAttribute("done",
					"Maintenance window " + accepted.incidentId() + " added (command " + accepted.commandId() + ")");
		}
		catch (BadRequestException | ConflictException ex) {
			flash.addFlashAttribute("refused", ex.getMessage());
		}
		return "redirect:" + ConsoleConfiguration.PATH + "/maintenance";
	}

	@PostMapping("/{id}/end")
	String end(@PathVariable String id, @RequestParam(required = false) String key, Authentication caller,
			RedirectAttributes flash) {
		try {
			Accepted accepted = this.actions.removeWindow(id, SignedIn.acting(caller, key, "end-window:" + id));
			flash.addFlashAttribute("done",
					"Maintenance window " + id + " ended (command " + accepted.commandId() + ")");
		}
		catch (BadRequestException | ConflictException | NotFoundException ex) {
			flash.addFlashAttribute("refused", ex.getMessage());
		}
		return "redirect:" + ConsoleConfiguration.PATH + "/maintenance";
	}

}
