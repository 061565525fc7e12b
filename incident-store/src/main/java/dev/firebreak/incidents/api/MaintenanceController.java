package dev.firebreak.incidents.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.firebreak.incidents.maintenance.MaintenanceSchedule;
import dev.firebreak.incidents.maintenance.WindowSpec;
import dev.firebreak.platform.security.CallerName;
import dev.firebreak.schemas.avro.Actor;
import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.CommandType;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.MaintenanceWindow;
import dev.firebreak.schemas.avro.MaintenanceWindowRemoval;

/**
 * Maintenance windows: listed from configuration and the topology, added and removed by
 * command (the topology applies them to every task and re-checks open incidents at once).
 */
@RestController
@RequestMapping("/api/v1/maintenance-windows")
class MaintenanceController {

	private final MaintenanceWindows windows;

	private final CommandPublisher publisher;

	MaintenanceController(MaintenanceWindows windows, CommandPublisher publisher) {
		this.windows = windows;
		this.publisher = publisher;
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
	CommandController.Accepted add(@RequestBody WindowSpec spec, @CallerName String actor) {
		MaintenanceWindow window;
		try {
			window = spec.toWindow("window");
		}
		catch (IllegalArgumentException ex) {
			throw new BadRequestException("body", ex.getMessage());
		}
		if (exists(window.getId())) {
			throw new ConflictException("a maintenance window " + window.getId() + " exists; delete it first");
		}
		return publish(command(CommandType.ADD_MAINTENANCE_WINDOW, window.getId(), actor).setMaintenanceWindow(window)
			.build());
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.ACCEPTED)
	CommandController.Accepted remove(@PathVariable String id, @CallerName String actor) {
		if (this.windows.configured().stream().anyMatch((window) -> window.getId().equals(id))) {
			throw new ConflictException("maintenance window " + id + " comes from configuration; change it there");
		}
		if (!exists(id)) {
			throw new NotFoundException("No maintenance window " + id);
		}
		return publish(command(CommandType.REMOVE_MAINTENANCE_WINDOW, id, actor)
			.setMaintenanceWindowRemoval(new MaintenanceWindowRemoval(id))
			.build());
	}

	private boolean exists(String id) {
		return this.windows.configured().stream().anyMatch((window) -> window.getId().equals(id))
				|| this.windows.added().stream().anyMatch((window) -> window.getId().equals(id));
	}

	private static WindowView view(String source, MaintenanceWindow window, Instant now) {
		return new WindowView(source, MaintenanceSchedule.isOn(window, now), WindowSpec.of(window));
	}

	private static IncidentCommand.Builder command(CommandType type, String windowId, String actor) {
		return IncidentCommand.newBuilder()
			.setCommandId(UUID.randomUUID().toString())
			.setIncidentId(windowId)
			.setType(type)
			.setActor(new Actor(ActorKind.OPERATOR, actor))
			.setIssuedAt(Instant.now());
	}

	private CommandController.Accepted publish(IncidentCommand command) {
		this.publisher.publish(command);
		return new CommandController.Accepted(command.getCommandId(), command.getIncidentId(),
				command.getType().name());
	}

}
