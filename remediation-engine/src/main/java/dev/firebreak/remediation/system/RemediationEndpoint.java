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
 * {@code admin} role; the switch records who flipped it. A caller that relays a person's
 * request (incident-store's console) names them in {@code onBehalfOf}: the record then
 * says both, {@code "console for alice"}, never the person alone.
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
	Map<String, Object> change(SecurityContext caller, @Nullable Boolean killSwitch, @Nullable String resetCircuit,
			@Nullable String onBehalfOf) {
		String who = who(caller.getPrincipal().getName(), onBehalfOf);
		if (killSwitch != null) {
			this.engine.setKillSwitch(killSwitch, who);
		}
		if (resetCircuit != null) {
			this.engine.resetCircuit(resetCircuit, who);
		}
		return state();
	}

	/**
	 * The authenticated caller, and the person it relays for if it names one (cut to 100
	 * characters, control and format characters dropped: it is only a name for the
	 * record).
	 */
	static String who(String caller, @Nullable String onBehalfOf) {
		if (onBehalfOf == null || onBehalfOf.isBlank()) {
			return caller;
		}
		// Every control and format character (bidi overrides, line separators), not only
		// ASCII's.
		String person = onBehalfOf.replaceAll("\\p{C}", "").strip();
		if (person.isEmpty()) {
			return caller;
		}
		return caller + " for " + ((person.length() > 100) ? person.substring(0, 100) : person);
	}

}
