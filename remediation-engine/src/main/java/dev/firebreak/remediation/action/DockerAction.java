package dev.firebreak.remediation.action;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Docker and Docker Compose, for the seeds that run on compose: {@code restart} and
 * {@code logs} of a container, {@code compose-restart} and {@code compose-logs} of a
 * compose service (in the compose project's {@code workingDirectory}). Each is a fixed
 * argv for the docker CLI, never a shell; the container or service name, often from a
 * label, must look like one (a letter or digit first, so that it can never read as an
 * option). {@code logs} and {@code compose-logs} only read: they may be diagnostic steps.
 */
public final class DockerAction implements Action {

	/** What docker accepts as a container or compose service name. */
	public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

	/** The operations that only read. */
	public static final List<String> READING = List.of("logs", "compose-logs");

	/** The engine's variables the CLI gets: where the daemon is, and how to reach it. */
	private static final List<String> ENVIRONMENT = List.of("PATH", "HOME", "DOCKER_HOST", "DOCKER_CONTEXT",
			"DOCKER_CONFIG", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY");

	private final String program;

	private final Map<String, String> environment = new LinkedHashMap<>();

	/**
	 * @param program the docker CLI ({@code docker}, found on the engine's PATH)
	 * @param engineEnvironment the engine's own environment, of which the CLI gets what
	 * it needs to reach the daemon
	 */
	public DockerAction(String program, Map<String, String> engineEnvironment) {
		this.program = program;
		ENVIRONMENT.stream()
			.filter(engineEnvironment::containsKey)
			.forEach((name) -> this.environment.put(name, engineEnvironment.get(name)));
	}

	@Override
	public String type() {
		return "docker";
	}

	@Override
	public ActionResult run(PreparedAction action) {
		String operation = action.value("operation");
		boolean compose = operation.startsWith("compose-");
		String name = compose ? action.value("service") : action.value("container");
		if (!NAME.matcher(name).matches()) {
			return new ActionResult(false,
					"'" + name + "' is not a " + (compose ? "compose service" : "container") + " name", Map.of(),
					Duration.ZERO);
		}
		String tail = action.value("tail", "50");
		List<String> argv = switch (operation) {
			case "restart" -> List.of(this.program, "restart", name);
			case "logs" -> List.of(this.program, "logs", "--tail", tail, name);
			case "compose-restart" -> List.of(this.program, "compose", "restart", name);
			case "compose-logs" -> List.of(this.program, "compose", "logs", "--no-color", "--tail", tail, name);
			default -> throw new IllegalStateException("docker operation " + operation);
		};
		Path workingDirectory = Path.of(action.value("workingDirectory", System.getProperty("java.io.tmpdir")));
		if (action.dryRun()) {
			return new ActionResult(true, "would run " + argv + " in " + workingDirectory,
					Map.of("argv", argv.toString()), Duration.ZERO);
		}
		ActionResult result = CommandAction.run(argv, workingDirectory, this.environment, action.timeout());
		Map<String, String> details = new LinkedHashMap<>(result.details());
		details.put("argv", argv.toString());
		return new ActionResult(result.succeeded(), String.join(" ", argv.subList(1, argv.size()))
				+ (result.succeeded() ? "" : " failed") + ": " + result.summary(), details, result.duration());
	}

}
