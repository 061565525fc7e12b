package dev.firebreak.remediation.action;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.firebreak.remediation.runbook.Runbook;
import dev.firebreak.remediation.runbook.RunbookLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kubernetes actions against fabric8's mock API server in CRUD mode (a real HTTP server
 * speaking the Kubernetes API and keeping what it is sent), through runbooks as written:
 * the resources changed are read back from it.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesActionTest {

	private static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

	static KubernetesClient client;

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
