package dev.firebreak.remediation.action;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.HasMetadata;
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
 * <li>{@code delete-pod}: one pod, which its controller replaces.</li>
 * </ul>
 * {@code namespace} and {@code name} come from templates and must be Kubernetes names. In
 * dry-run the resource is read, never changed, and the result says what would be done.
 */
public final class KubernetesAction implements Action {

	/** {@code 5}, {@code +1} or {@code -2}. */
	public static final Pattern REPLICAS = Pattern.compile("[+-]?\\d{1,3}");

	/** The most replicas {@code scale} goes to unless the runbook says otherwise. */
	public static final int DEFAULT_MAX_REPLICAS = 10;

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
