package dev.firebreak.incidents.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.firebreak.incidents.api.IncidentActions.Accepted;
import dev.firebreak.incidents.api.IncidentActions.Caller;
import dev.firebreak.incidents.maintenance.MaintenanceSchedule;
import dev.firebreak.incidents.maintenance.WindowSpec;
import dev.firebreak.platform.security.CallerName;
import dev.firebreak.schemas.avro.MaintenanceWindow;

/**
 * Maintenance windows: listed from configuration and the topology, added and removed by
 * command (the topology applies them to every task and re-checks open incidents at once).
 */
@RestController
@RequestMapping("/api/v1/maintenance-windows")
class MaintenanceController {

	private final MaintenanceWindows windows;

	private final IncidentActions actions;

	MaintenanceController(MaintenanceWindows windows, IncidentActions actions) {
		this.windows = windows;
		this.actions = actions;
	}

	/** A window, where it comes from, and whether it is on now. */
	record WindowView(String source, boolean activeNow, WindowSpec window) {
	}

	@GetMapping
	List<WindowView> list() {
		Instant now = Instant.now();
		List<WindowView> views = new ArrayList<>();
		this.windows.configured().forEach((window) -> views.add(view("configuration", window, now)));
		this.windows.added().forEach((window) -> views.add(view("command", window, now)));
		return views;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted add(@RequestBody WindowSpec spec, @CallerName String actor) {
		return this.actions.addWindow(spec, Caller.named(actor));
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted remove(@PathVariable String id, @CallerName String actor) {
		return this.actions.removeWindow(id, Caller.named(actor));
	}

	private static WindowView view(String source, MaintenanceWindow window, Instant now) {
		return new WindowView(source, MaintenanceSchedule.isOn(window, now), WindowSpec.of(window));
	}

}
