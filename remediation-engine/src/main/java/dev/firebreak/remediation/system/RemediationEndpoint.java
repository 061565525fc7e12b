package dev.firebreak.remediation.system;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

import dev.firebreak.remediation.engine.RemediationEngine;

/**
 * {@code /actuator/remediation}, the operator's switches: {@code GET} shows the kill
 * switch and the open circuit breakers; {@code POST {"killSwitch": true}} stops every
 * runbook (kept in PostgreSQL, so it survives restarts); {@code POST {"resetCircuit":
 * "restart-service"}} enables a runbook its circuit breaker disabled. Both ways need the
 * {@code admin} role; the switch records who flipped it.
 */
@Component
@Endpoint(id = "remediation")
class RemediationEndpoint {

	private final RemediationEngine engine;

	RemediationEndpoint(RemediationEngine engine) {
		this.engine = engine;
	}

	@ReadOperation
	Map<String, Object> state() {
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("killSwitch", this.engine.killSwitch());
		state.put("killSwitchChangedBy", this.engine.killSwitchChangedBy().orElse(null));
		state.put("openCircuits", this.engine.openCircuits());
		state.put("running", this.engine.running());
		return state;
	}

	/**
	 * Flips a switch, recorded under the authenticated caller's name (an {@code admin}:
	 * every actuator endpoint but the public ones needs that role).
	 */
	@WriteOperation
	Map<String, Object> change(SecurityContext caller, @Nullable Boolean killSwitch, @Nullable String resetCircuit) {
		String who = caller.getPrincipal().getName();
		if (killSwitch != null) {
			this.engine.setKillSwitch(killSwitch, who);
		}
		if (resetCircuit != null) {
			this.engine.resetCircuit(resetCircuit, who);
		}
		return state();
	}

}
