package dev.firebreak.remediation.system;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

import dev.firebreak.remediation.engine.LatestIncidents;
import dev.firebreak.remediation.engine.RemediationEngine;

/**
 * {@code remediation} health: UP while the engine can read its state, with what an
 * operator checks first: the kill switch, the runbooks disabled by their circuit breaker
 * and the actions running now.
 */
@Component("remediation")
class RemediationHealth extends AbstractHealthIndicator {

	private final RemediationEngine engine;

	private final LatestIncidents latest;

	RemediationHealth(RemediationEngine engine, LatestIncidents latest) {
		super("remediation-engine state cannot be read");
		this.engine = engine;
		this.latest = latest;
	}

	/**
	 * Down until {@code firebreak.incidents} has been read to where it ended at the
	 * start: until then a guardrail could miss an acknowledgement.
	 */
	@Override
	protected void doHealthCheck(Health.Builder builder) {
		(this.latest.isCaughtUp() ? builder.up() : builder.down()).withDetail("incidentsRead", this.latest.isCaughtUp())
			.withDetail("runbooks", this.engine.catalogue().size())
			.withDetail("killSwitch", this.engine.killSwitch())
			.withDetail("openCircuits", this.engine.openCircuits())
			.withDetail("running", this.engine.running());
	}

}
