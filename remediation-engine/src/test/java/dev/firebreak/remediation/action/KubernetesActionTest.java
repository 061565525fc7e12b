package dev.firebreak.remediation.action;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.firebreak.remediation.runbook.Runbook;
import dev.firebreak.remediation.runbook.RunbookLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Kubernetes actions against fabric8's mock API server in CRUD mode (a real HTTP server
 * speaking the Kubernetes API and keeping what it is sent), through runbooks as written:
 * the resources changed are read back from it.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesActionTest {

	private static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

	static KubernetesClient client;

	static KubernetesMockServer server;

	private final KubernetesAction action = new KubernetesAction(() -> client);

	@BeforeEach
	void cluster() {
		client.apps().deployments().inNamespace("audit").delete();
		client.apps().statefulSets().inNamespace("audit").delete();
		client.pods().inNamespace("audit").delete();
		client.apps()
			.deployments()
			.inNamespace("audit")
			.resource(new DeploymentBuilder().withNewMetadata()
				.withName("audit-app-backend")
				.withNamespace("audit")
				.endMetadata()
				.withNewSpec()
				.withReplicas(2)
				.withNewSelector()
				.addToMatchLabels("app", "audit-app-backend")
				.endSelector()
				.withNewTemplate()
				.withNewMetadata()
				.addToLabels("app", "audit-app-backend")
				.endMetadata()
				.endTemplate()
				.endSpec()
				.build())
			.create();
		client.apps()
			.statefulSets()
			.inNamespace("audit")
			.resource(new StatefulSetBuilder().withNewMetadata()
				.withName("postgres")
				.withNamespace("audit")
				.endMetadata()
				.withNewSpec()
				.withReplicas(1)
				.withNewTemplate()
				.withNewMetadata()
				.addToLabels("app", "postgres")
				.endMetadata()
				.endTemplate()
				.endSpec()
				.build())
			.create();
		client.pods()
			.inNamespace("audit")
			.resource(new PodBuilder().withNewMetadata()
				.withName("audit-app-backend-7d9f8-x2x4z")
				.withNamespace("audit")
				.endMetadata()
				.withNewStatus()
				.withPhase("Running")
				.endStatus()
				.build())
			.create();
	}

	@Test
	void restartsTheDeploymentTheAlertNamesAsKubectlRolloutRestartDoes() {
		ActionResult result = run("""
				operation: rollout-restart
				namespace: "{{labels.namespace}}"
				name: "{{labels.deployment}}"
				""", false);

		assertThat(result.succeeded()).as(result.summary()).isTrue();
		assertThat(result.summary())
			.isEqualTo("restarted Deployment audit/audit-app-backend (2 replicas) (rollout restart)");
		assertThat(backend().getSpec().getTemplate().getMetadata().getAnnotations()).containsKey(RESTARTED_AT);
		assertThat(result.details()).containsEntry("kind", "Deployment").containsEntry("replicas", "2");
	}

	@Test
	void inDryRunItReadsTheDeploymentAndChangesNothing() {
		ActionResult result = run("""
				operation: rollout-restart
				namespace: "{{labels.namespace}}"
				name: "{{labels.deployment}}"
				""", true);

		assertThat(result.succeeded()).isTrue();
		assertThat(result.summary()).isEqualTo("would restart Deployment audit/audit-app-backend (2 replicas)");
		assertThat(backend().getSpec().getTemplate().getMetadata().getAnnotations()).doesNotContainKey(RESTARTED_AT);
	}

	@Test
	void restartsAStatefulSet() {
		ActionResult result = run("""
				operation: rollout-restart
				kind: StatefulSet
				namespace: "{{labels.namespace}}"
				name: postgres
				""", false);

		assertThat(result.succeeded()).as(result.summary()).isTrue();
		assertThat(client.apps()
			.statefulSets()
			.inNamespace("audit")
			.withName("postgres")
			.get()
			.getSpec()
			.getTemplate()
			.getMetadata()
			.getAnnotations()).containsKey(RESTARTED_AT);
	}

	@Test
	void scalesByAChangeOrToACountWithinItsBounds() {
		ActionResult plusOne = run("""
				operation: scale
				namespace: "{{labels.namespace}}"
				name: "{{labels.deployment}}"
				replicas: "+1"
				""", false);
		assertThat(plusOne.summary()).isEqualTo("scaled Deployment audit/audit-app-backend from 2 to 3 replicas");
		assertThat(backend().getSpec().getReplicas()).isEqualTo(3);

		ActionResult tooMany = run("""
				operation: scale
				namespace: "{{labels.namespace}}"
				name: "{{labels.deployment}}"
				replicas: 5
				maxReplicas: 4
				""", false);
		assertThat(tooMany.succeeded()).isFalse();
		assertThat(tooMany.summary())
			.isEqualTo("Deployment audit/audit-app-backend: 5 replicas is outside 1 to 4 (maxReplicas): not scaled");
		assertThat(backend().getSpec().getReplicas()).isEqualTo(3);

		assertThat(run("""
				operation: scale
				namespace: "{{labels.namespace}}"
				name: "{{labels.deployment}}"
				replicas: 5
				""", true).summary()).isEqualTo("would scale Deployment audit/audit-app-backend from 3 to 5 replicas");
		assertThat(backend().getSpec().getReplicas()).isEqualTo(3);
	}

	@Test
	void deletesThePodItsControllerReplaces() {
		ActionResult result = run("""
				operation: delete-pod
				namespace: "{{labels.namespace}}"
				name: "{{labels.pod}}"
				""", false);

		assertThat(result.succeeded()).as(result.summary()).isTrue();
		assertThat(result.summary())
			.isEqualTo("deleted pod audit/audit-app-backend-7d9f8-x2x4z (Running); its controller starts another");
		assertThat(client.pods().inNamespace("audit").withName("audit-app-backend-7d9f8-x2x4z").get()).isNull();
	}

	@Test
	void whatIsNotThereIsAFailureThatSaysSo() {
		ActionResult result = run("""
				operation: rollout-restart
				namespace: "{{labels.namespace}}"
				name: checkout
				""", false);

		assertThat(result.succeeded()).isFalse();
		assertThat(result.summary()).isEqualTo("no Deployment audit/checkout");
	}

	@Test
	void readsTheStatusOfTheDeploymentsPodsTheOneInTroubleLast() {
		backendPod("audit-app-backend-7d9f8-aaaaa", true, 0, null);
		backendPod("audit-app-backend-7d9f8-bbbbb", false, 5, "OOMKilled");

		ActionResult result = run("""
				operation: pod-status
				namespace: "{{labels.namespace}}"
				name: "{{labels.deployment}}"
				""", false);

		assertThat(result.succeeded()).as(result.summary()).isTrue();
		assertThat(result.summary()).isEqualTo("Deployment audit/audit-app-backend: 1 of 2 pods ready; "
				+ "audit-app-backend-7d9f8-bbbbb: Running, 0/1 ready, 5 restarts, waiting CrashLoopBackOff, "
				+ "last terminated OOMKilled (exit 137)");
		assertThat(result.details().get("pods").lines()).containsExactlyInAnyOrder(
				"audit-app-backend-7d9f8-aaaaa: Running, 1/1 ready, 0 restarts",
				"audit-app-backend-7d9f8-bbbbb: Running, 0/1 ready, 5 restarts, waiting CrashLoopBackOff, "
						+ "last terminated OOMKilled (exit 137)");
	}

	@Test
	void readsTheLastLogLinesOfThePodThatRestartedMost() throws InterruptedException {
		backendPod("audit-app-backend-7d9f8-aaaaa", true, 0, null);
		backendPod("audit-app-backend-7d9f8-bbbbb", false, 5, "OOMKilled");

		ActionResult result = run("""
				operation: logs
				namespace: "{{labels.namespace}}"
				name: "{{labels.deployment}}"
				tail: 40
				""", false);

		assertThat(result.succeeded()).as(result.summary()).isTrue();
		assertThat(result.summary())
			.isEqualTo("the last 40 log lines of pod audit/audit-app-backend-7d9f8-bbbbb (backend)");
		assertThat(result.details()).containsEntry("pod", "audit-app-backend-7d9f8-bbbbb")
			.containsEntry("container", "backend");
		// The CRUD server keeps no logs: what the API server was asked for is the check.
		assertThat(server.getLastRequest().getPath())
			.startsWith("/api/v1/namespaces/audit/pods/audit-app-backend-7d9f8-bbbbb/log?")
			.contains("container=backend")
			.contains("tailLines=40");
	}

	@Test
	void aStatusOrLogsStepIsADiagnosticAndAChangeIsNot() {
		String runbook = """
				id: k8s
				match: { labels: { alertname: APIDown } }
				steps:
				  - name: pods
				    diagnostic: true
				    action: { type: kubernetes, operation: pod-status, namespace: audit, name: api }
				  - name: logs
				    diagnostic: true
				    action: { type: kubernetes, operation: logs, namespace: audit, name: api, tail: 40 }
				  - name: restart
				    diagnostic: true
				    action: { type: kubernetes, operation: rollout-restart, namespace: audit, name: api }
				""";

		assertThatExceptionOfType(RunbookLoader.InvalidCatalogueException.class)
			.isThrownBy(() -> RunbookLoader.parse(Map.of("k8s.yaml", runbook)))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactly("k8s.yaml: steps[2].diagnostic: a diagnostic "
					+ "step only reads: an http GET, a command, a postgres query, docker or kubernetes logs, not a kubernetes action"));
	}

	private static void backendPod(String name, boolean ready, int restarts, String lastTerminated) {
		PodBuilder pod = new PodBuilder().withNewMetadata()
			.withName(name)
			.withNamespace("audit")
			.addToLabels("app", "audit-app-backend")
			.endMetadata()
			.withNewSpec()
			.addNewContainer()
			.withName("backend")
			.withImage("audit/backend:1.4")
			.endContainer()
			.endSpec();
		var status = pod.withNewStatus()
			.withPhase("Running")
			.addNewContainerStatus()
			.withName("backend")
			.withReady(ready)
			.withRestartCount(restarts);
		if (!ready) {
			status = status.withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState();
		}
		if (lastTerminated != null) {
			status = status.withNewLastState()
				.withNewTerminated()
				.withReason(lastTerminated)
				.withExitCode(137)
				.endTerminated()
				.endLastState();
		}
		client.pods().inNamespace("audit").resource(status.endContainerStatus().endStatus().build()).create();
	}

	private static Deployment backend() {
		return client.apps().deployments().inNamespace("audit").withName("audit-app-backend").get();
	}

	/**
	 * The action of a runbook with this {@code action:} body, for an alert of the
	 * backend.
	 */
	private ActionResult run(String action, boolean dryRun) {
		Runbook runbook = RunbookLoader.parse(Map.of("k8s.yaml", """
				id: k8s
				match: { labels: { alertname: APIDown } }
				action:
				  type: kubernetes
				  timeout: 10s
				%s
				""".formatted(action.indent(2))), Map.of()).get(0);
		Map<String, String> values = Map.of("labels.namespace", "audit", "labels.deployment", "audit-app-backend",
				"labels.pod", "audit-app-backend-7d9f8-x2x4z");
		return this.action.run(runbook.prepare(values, dryRun).get(0));
	}

}
