package dev.firebreak.remediation.runbook;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import dev.firebreak.platform.Secret;
import dev.firebreak.remediation.action.Template;

/**
 * {@code ./firebreak runbooks check DIR}: validates a directory of runbooks offline, as
 * remediation-engine would at startup, and says what each one answers and what it needs
 * configured (the secrets and data sources it names). Secrets are not read: a reference
 * stands for a value configured on the engine.
 */
public final class CatalogueCheck {

	private CatalogueCheck() {
	}

	public static void main(String[] args) {
		if (args.length != 1) {
			System.err.println("usage: ./firebreak runbooks check DIR");
			System.exit(2);
		}
		System.exit(check(Path.of(args[0]), System.out, System.err));
	}

	/**
	 * @return 0 when every runbook is valid, 1 otherwise (every problem printed to
	 * {@code err}, with its file and field)
	 */
	/**
	 * {@code http} for one action, {@code steps health (diagnostic), restart} for more.
	 */
	private static String kind(Runbook runbook) {
		if (runbook.steps().size() == 1) {
			return runbook.actionType();
		}
		return "steps " + String.join(", ", runbook.steps()
			.stream()
			.map((step) -> step.name() + " (" + step.action().type() + (step.diagnostic() ? ", diagnostic" : "") + ")")
			.toList());
	}

	static int check(Path directory, PrintStream out, PrintStream err) {
		Map<String, Secret> secrets = new TreeMap<>();
		for (String name : secretsNamed(directory)) {
			secrets.put(name, Secret.of("checked-offline"));
		}
		try {
			var runbooks = RunbookLoader.directory(directory, secrets);
			for (Runbook runbook : runbooks) {
				out.println("ok  " + runbook.id() + " (" + Path.of(runbook.source()).getFileName() + "): "
						+ kind(runbook) + ", answers " + describe(runbook.match())
						+ (runbook.guardrails().dryRun() ? ", dry" : ", LIVE")
						+ (runbook.guardrails().approvalRequired() ? ", with approval" : ""));
			}
			var dataSources = new TreeSet<String>();
			runbooks.forEach((runbook) -> dataSources.addAll(RunbookLoader.dataSources(runbook)));
			out.println(runbooks.size() + " runbooks valid.");
			if (!secrets.isEmpty()) {
				out.println("Configure the secrets they name: " + String.join(", ",
						secrets.keySet().stream().map((name) -> "firebreak.remediation.secrets." + name).toList()));
			}
			if (!dataSources.isEmpty()) {
				out.println("Configure the data sources they name: " + String.join(", ",
						dataSources.stream().map((name) -> "firebreak.remediation.datasources." + name).toList()));
			}
			return 0;
		}
		catch (RunbookLoader.InvalidCatalogueException ex) {
			ex.problems().forEach(err::println);
			err.println(ex.problems().size() + " problems: nothing in " + directory + " would load.");
			return 1;
		}
	}

	private static String describe(RunbookMatch match) {
		Map<String, String> matchers = new TreeMap<>(match.labels());
		match.regex().forEach((name, pattern) -> matchers.put(name, "~" + pattern.pattern()));
		return matchers.toString();
	}

	private static TreeSet<String> secretsNamed(Path directory) {
		TreeSet<String> names = new TreeSet<>();
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : files.filter((path) -> path.toString().matches(".*\\.ya?ml$")).toList()) {
				names.addAll(Template.secretNames(Files.readString(file)));
			}
		}
		catch (IOException ex) {
			// RunbookLoader reports the directory it cannot read.
		}
		return names;
	}

}
