package dev.firebreak.platform;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Reports whether the Kafka cluster answers, for the readiness group: a service that
 * cannot reach Kafka should get no traffic, but it need not be restarted.
 */
public class KafkaReadiness extends AbstractHealthIndicator implements DisposableBean {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final Admin admin;

	public KafkaReadiness(Map<String, Object> adminProperties) {
		super("Kafka is not reachable");
		this.admin = Admin.create(adminProperties);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		var cluster = this.admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()));
		int nodes = cluster.nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
		builder.up().withDetail("clusterId", cluster.clusterId().get()).withDetail("nodes", nodes);
	}

	@Override
	public void destroy() {
		this.admin.close(Duration.ofSeconds(1));
	}

}
