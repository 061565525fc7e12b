package dev.firebreak.platform.security;

import java.util.List;
import java.util.Locale;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What a caller may do. {@code viewer} reads, {@code operator} also acts on incidents
 * (acknowledge, resolve, comment, assign, approve or reject, maintenance windows),
 * {@code admin} also works the switches (kill switch, circuit breakers, runbook details,
 * actuator endpoints). {@code sender} only posts alerts: Alertmanager and Prometheus need
 * nothing else, and a person needs no sender role.
 */
public enum Role {

	SENDER, VIEWER, OPERATOR, ADMIN;

	/** The roles this one includes: itself and, for people, every role below it. */
	List<Role> included() {
		return switch (this) {
			case SENDER -> List.of(SENDER);
			case VIEWER -> List.of(VIEWER);
			case OPERATOR -> List.of(OPERATOR, VIEWER);
			case ADMIN -> List.of(ADMIN, OPERATOR, VIEWER);
		};
	}

	/** The authorities a caller with this role holds ({@code ROLE_OPERATOR}...). */
	List<GrantedAuthority> authorities() {
		return included().stream()
			.map((role) -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + role.name()))
			.toList();
	}

	/** As written in configuration and shown to people: {@code operator}. */
	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}

}
