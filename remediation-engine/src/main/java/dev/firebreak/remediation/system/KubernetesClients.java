package dev.firebreak.remediation.system;

import java.util.function.Supplier;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * fabric8's Kubernetes client, built when a Kubernetes runbook first runs (from the pod's
 * service account inside a cluster, else from the kubeconfig, as {@code kubectl} finds
 * it) and closed at shutdown: an engine without Kubernetes runbooks never reads either.
 */
final class KubernetesClients implements Supplier<KubernetesClient>, AutoCloseable {

	private KubernetesClient client;

	@Override
	public synchronized KubernetesClient get() {
		if (this.client == null) {
			this.client = new KubernetesClientBuilder().build();
		}
		return this.client;
	}

	@Override
	public synchronized void close() {
		if (this.client != null) {
			this.client.close();
		}
	}

}
