package dev.firebreak.remediation.action;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;

/**
 * Kubernetes workloads through the API server, with fabric8's client (the pod's service
 * account in a cluster, else the kubeconfig):
 * <ul>
 * <li>{@code rollout-restart}: a Deployment or StatefulSet ({@code kind}, default
 * Deployment), as {@code kubectl rollout restart} does it (the pod template's
 * {@code kubectl.kubernetes.io/restartedAt} annotation);</li>
 * <li>{@code scale}: to {@code replicas} ({@code 5}), or by it ({@code +1}, {@code -1}),
 * never below 1 nor above {@code maxReplicas} (default 10);</li>
 * <li>{@code delete-pod}: one pod, which its controller replaces;</li>
 * <li>{@code pod-status} and {@code logs}, which only read (diagnostic steps): the phase,
 * readiness, restarts and last termination of a workload's pods, and the last
 * {@code tail} lines (default 50) of the log of its pod that restarted most.</li>
 * </ul>
 * {@code namespace} and {@code name} come from templates and must be Kubernetes names. In
 * dry-run the resource is read, never changed, and the result says what would be done.
 */
public final class KubernetesAction implements Action {

	/** {@code 5}, {@code +1} or {@code -2}. */
	public static final Pattern REPLICAS = Pattern.compile("[+-]?\\d{1,3}");

	/** The most replicas {@code scale} goes to unless the runbook says otherwise. */
	public static final int DEFAULT_MAX_REPLICAS = 10;

	/** The operations that only read. */
	public static final List<String> READING = List.of("pod-status", "logs");

	/** Pods listed by {@code pod-status}. */
	static final int MAX_PODS = 20;

	/** Characters of a pod's log kept. */
	static final int MAX_LOG = 4096;

	private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

	private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

	private final Supplier<KubernetesClient> client;

	/**
	 * @param client the client, asked for when a Kubernetes runbook first runs
	 */
	public KubernetesAction(Supplier<KubernetesClient> client) {
		this.client = client;
	}

	@Override
	public String type() {
		return "kubernetes";
	}

	@Override
	public ActionResult run(PreparedAction action) {
		long start = System.nanoTime();
		String operation = action.value("operation");
		String namespace = action.value("namespace");
		String name = action.value("name");
		String kind = operation.equals("delete-pod") ? "Pod" : action.value("kind", "Deployment");
		Map<String, String> details = new LinkedHashMap<>();
		details.put("kind", kind);
		details.put("namespace", namespace);
		details.put("name", name);
		if (!NAMESPACE.matcher(namespace).matches() || !NAME.matcher(name).matches()) {
			return ActionResult.since(start, false,
					"'" + namespace + "/" + name + "' is not a Kubernetes namespace and name: not run", details);
		}
		String what = kind + " " + namespace + "/" + name;
		try {
			String summary = CompletableFuture.supplyAsync(() -> switch (operation) {
				case "rollout-restart" -> restart(kind, namespace, name, action.dryRun(), details);
				case "scale" -> scale(kind, namespace, name, action, details);
				case "delete-pod" -> deletePod(namespace, name, action.dryRun(), details);
				case "pod-status" -> podStatus(kind, namespace, name, details);
				case "logs" -> logs(kind, namespace, name, Integer.parseInt(action.value("tail", "50")), details);
				default -> throw new IllegalStateException("kubernetes operation " + operation);
			}).get(action.timeout().toMillis(), TimeUnit.MILLISECONDS);
			return ActionResult.since(start, true, summary, details);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Refusal refusal) {
				return ActionResult.since(start, false, refusal.getMessage(), details);
			}
			if (cause instanceof KubernetesClientException api) {
				details.put("status", Integer.toString(api.getCode()));
				return ActionResult.since(start, false,
						what + ": the API server answered " + api.getCode() + ": " + firstLine(api.getMessage()),
						details);
			}
			return ActionResult.since(start, false, what + ": " + cause, details);
		}
		catch (TimeoutException ex) {
			return ActionResult.since(start, false, what + ": no answer within " + words(action.timeout()), details);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return ActionResult.since(start, false, what + ": interrupted", details);
		}
	}

	private String restart(String kind, String namespace, String name, boolean dryRun, Map<String, String> details) {
		HasMetadata workload = require(workload(kind, namespace, name).get(), kind, namespace, name);
		details.put("replicas", Integer.toString(replicas(workload)));
		if (dryRun) {
			return "would restart " + describe(workload);
		}
		workload(kind, namespace, name).rolling().restart();
		return "restarted " + describe(workload) + " (rollout restart)";
	}

	private String scale(String kind, String namespace, String name, PreparedAction action,
			Map<String, String> details) {
		HasMetadata workload = require(workload(kind, namespace, name).get(), kind, namespace, name);
		int current = replicas(workload);
		String replicas = action.value("replicas");
		int max = Integer.parseInt(action.value("maxReplicas", Integer.toString(DEFAULT_MAX_REPLICAS)));
		int wanted = (replicas.startsWith("+") || replicas.startsWith("-")) ? current + Integer.parseInt(replicas)
				: Integer.parseInt(replicas);
		details.put("replicas", Integer.toString(current));
		details.put("scaledTo", Integer.toString(wanted));
		if (wanted < 1 || wanted > max) {
			throw new Refusal(kind + " " + namespace + "/" + name + ": " + wanted + " replicas is outside 1 to " + max
					+ " (maxReplicas): not scaled");
		}
		String change = kind + " " + namespace + "/" + name + " from " + current + " to " + wanted + " replicas";
		if (action.dryRun()) {
			return "would scale " + change;
		}
		if (kind.equals("StatefulSet")) {
			this.client.get()
				.apps()
				.statefulSets()
				.inNamespace(namespace)
				.withName(name)
				.edit((set) -> withReplicas(set, wanted));
		}
		else {
			this.client.get()
				.apps()
				.deployments()
				.inNamespace(namespace)
				.withName(name)
				.edit((deployment) -> withReplicas(deployment, wanted));
		}
		return "scaled " + change;
	}

	private String deletePod(String namespace, String name, boolean dryRun, Map<String, String> details) {
		Pod pod = require(this.client.get().pods().inNamespace(namespace).withName(name).get(), "Pod", namespace, name);
		String phase = (pod.getStatus() != null) ? pod.getStatus().getPhase() : null;
		if (phase != null) {
			details.put("phase", phase);
		}
		String described = "pod " + namespace + "/" + name + ((phase != null) ? " (" + phase + ")" : "");
		if (dryRun) {
			return "would delete " + described;
		}
		this.client.get().pods().inNamespace(namespace).withName(name).delete();
		return "deleted " + described + "; its controller starts another";
	}

	private String podStatus(String kind, String namespace, String name, Map<String, String> details) {
		List<Pod> pods = pods(kind, namespace, name);
		details.put("pods", String.join("\n", pods.stream().limit(MAX_PODS).map(KubernetesAction::describe).toList())
				+ ((pods.size() > MAX_PODS) ? "\n… and " + (pods.size() - MAX_PODS) + " more" : ""));
		long ready = pods.stream().filter(KubernetesAction::ready).count();
		return kind + " " + namespace + "/" + name + ": " + ready + " of " + pods.size() + " pods ready"
				+ mostRestarted(pods).filter((pod) -> !ready(pod)).map((pod) -> "; " + describe(pod)).orElse("");
	}

	private String logs(String kind, String namespace, String name, int tail, Map<String, String> details) {
		Pod pod = mostRestarted(pods(kind, namespace, name))
			.orElseThrow(() -> new Refusal(kind + " " + namespace + "/" + name + " has no pod"));
		String container = pod.getSpec().getContainers().get(0).getName();
		String log = this.client.get()
			.pods()
			.inNamespace(namespace)
			.withName(pod.getMetadata().getName())
			.inContainer(container)
			.tailingLines(tail)
			.getLog();
		String kept = (log.length() > MAX_LOG) ? "…" + log.substring(log.length() - MAX_LOG + 1) : log;
		details.put("pod", pod.getMetadata().getName());
		details.put("container", container);
		details.put("log", kept);
		return "the last " + tail + " log lines of pod " + namespace + "/" + pod.getMetadata().getName() + " ("
				+ container + ")";
	}

	/** A workload's pods: those its selector (else its pod template's labels) selects. */
	private List<Pod> pods(String kind, String namespace, String name) {
		HasMetadata workload = require(workload(kind, namespace, name).get(), kind, namespace, name);
		LabelSelector selector = (workload instanceof StatefulSet set) ? set.getSpec().getSelector()
				: ((Deployment) workload).getSpec().getSelector();
		if (selector == null || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
				&& (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty()))) {
			throw new Refusal(kind + " " + namespace + "/" + name + " selects no pods (it has no selector)");
		}
		return this.client.get().pods().inNamespace(namespace).withLabelSelector(selector).list().getItems();
	}

	/** The pod that restarted most, not ready ones first. */
	private static java.util.Optional<Pod> mostRestarted(List<Pod> pods) {
		return pods.stream()
			.max(Comparator.comparing((Pod pod) -> !ready(pod)).thenComparing(KubernetesAction::restarts));
	}

	private static List<ContainerStatus> statuses(Pod pod) {
		return (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null)
				? pod.getStatus().getContainerStatuses() : List.of();
	}

	private static boolean ready(Pod pod) {
		List<ContainerStatus> statuses = statuses(pod);
		return !statuses.isEmpty() && statuses.stream().allMatch((status) -> Boolean.TRUE.equals(status.getReady()));
	}

	private static int restarts(Pod pod) {
		return statuses(pod).stream()
			.mapToInt((status) -> (status.getRestartCount() != null) ? status.getRestartCount() : 0)
			.sum();
	}

	/**
	 * {@code api-7d9-x: Running, 0/1 ready, 5 restarts, waiting CrashLoopBackOff, last
	 * terminated OOMKilled (exit 137)}.
	 */
	private static String describe(Pod pod) {
		List<ContainerStatus> statuses = statuses(pod);
		StringBuilder line = new StringBuilder(pod.getMetadata().getName()).append(": ")
			.append((pod.getStatus() != null) ? pod.getStatus().getPhase() : "Unknown")
			.append(", ")
			.append(statuses.stream().filter((status) -> Boolean.TRUE.equals(status.getReady())).count())
			.append('/')
			.append(statuses.size())
			.append(" ready, ")
			.append(restarts(pod))
			.append(" restarts");
		for (ContainerStatus status : statuses) {
			if (status.getState() != null && status.getState().getWaiting() != null) {
				line.append(", waiting ").append(status.getState().getWaiting().getReason());
			}
			ContainerStateTerminated last = (status.getLastState() != null) ? status.getLastState().getTerminated()
					: null;
			if (last != null) {
				line.append(", last terminated ")
					.append(last.getReason())
					.append(" (exit ")
					.append(last.getExitCode())
					.append(')');
			}
		}
		return line.toString();
	}

	private RollableScalableResource<? extends HasMetadata> workload(String kind, String namespace, String name) {
		return kind.equals("StatefulSet")
				? this.client.get().apps().statefulSets().inNamespace(namespace).withName(name)
				: this.client.get().apps().deployments().inNamespace(namespace).withName(name);
	}

	private static <T extends HasMetadata> T require(T resource, String kind, String namespace, String name) {
		if (resource == null) {
			throw new Refusal("no " + kind + " " + namespace + "/" + name);
		}
		return resource;
	}

	private static int replicas(HasMetadata workload) {
		Integer replicas = null;
		if (workload instanceof Deployment deployment) {
			replicas = deployment.getSpec().getReplicas();
		}
		else if (workload instanceof StatefulSet set) {
			replicas = set.getSpec().getReplicas();
		}
		return (replicas != null) ? replicas : 1;
	}

	private static Deployment withReplicas(Deployment deployment, int replicas) {
		deployment.getSpec().setReplicas(replicas);
		return deployment;
	}

	private static StatefulSet withReplicas(StatefulSet set, int replicas) {
		set.getSpec().setReplicas(replicas);
		return set;
	}

	private static String describe(HasMetadata workload) {
		return workload.getKind() + " " + workload.getMetadata().getNamespace() + "/" + workload.getMetadata().getName()
				+ " (" + replicas(workload) + " replicas)";
	}

	private static String firstLine(String message) {
		String text = (message != null) ? message : "";
		int newline = text.indexOf('\n');
		return (newline < 0) ? text : text.substring(0, newline);
	}

	private static String words(Duration duration) {
		return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

	/** Why the action does not act: nothing to act on, or outside its bounds. */
	private static final class Refusal extends RuntimeException {

		Refusal(String message) {
			super(message, null, false, false);
		}

	}

}
