package dev.firebreak.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Fills incident-store's projection (already migrated by the service) with a year's worth
 * of history for the API benchmark, generated inside PostgreSQL: {@code <incidents>}
 * incidents over 500 services, two alerts each, and {@code <events>} events each. Usage:
 * {@code ApiBenchmarkData <jdbc-url> <user> <password> <incidents> <events>}.
 */
public final class ApiBenchmarkData {

	private ApiBenchmarkData() {
	}

	public static void main(String[] args) throws Exception {
		int incidents = Integer.parseInt(args[3]);
		int events = Integer.parseInt(args[4]);
		try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2]);
				Statement sql = connection.createStatement()) {
			long start = System.nanoTime();
			sql.execute(
					"""
							INSERT INTO incident
							SELECT 'INC-' || to_char(date '2026-01-01' + (n / 1000), 'YYYYMMDD') || '-'
							           || lpad((n %% 1000 + 1)::text, 4, '0'),
							       %2$d, 'service=svc-' || (n %% 500), jsonb_build_object('service', 'svc-' || (n %% 500)),
							       (ARRAY['ServiceDown', 'HighErrorRate', 'HighResponseTime', 'DiskSpaceHigh'])[n %% 4 + 1]
							           || ': svc-' || (n %% 500) || ' needs attention',
							       'SEV' || (n %% 4 + 1), (ARRAY['OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'RESOLVED'])[n %% 4 + 1],
							       false, false, NULL, 'L1', NULL, NULL, NULL,
							       timestamptz '2026-01-01' + n * interval '3 minutes', NULL,
							       CASE WHEN n %% 4 >= 2 THEN timestamptz '2026-01-01' + n * interval '3 minutes' + interval '20 minutes' END,
							       timestamptz '2026-01-01' + n * interval '3 minutes' + interval '20 minutes',
							       0, 2, 1, 1, 2, 1, 4
							FROM generate_series(0, %1$d - 1) n
							"""
						.formatted(incidents, events));
			sql.execute(
					"""
							INSERT INTO incident_alert
							SELECT i.id, 'fp-' || i.id || '-' || a, 1, split_part(i.title, ':', 1), 'FIRING', i.severity,
							       jsonb_build_object('alertname', split_part(i.title, ':', 1), 'service',
							           i.correlation_labels ->> 'service', 'instance', (i.correlation_labels ->> 'service') || '-' || a,
							           'severity', 'critical'),
							       jsonb_build_object('summary', i.title), i.opened_at, NULL, NULL, i.opened_at
							FROM incident i CROSS JOIN generate_series(1, 2) a
							""");
			sql.execute("""
					INSERT INTO incident_event
					SELECT i.id, s, i.id || ':' || s,
					       (ARRAY['OPENED', 'ALERT_ADDED', 'NOTIFICATION_SENT', 'REMEDIATION_STARTED'])[LEAST(s, 4)],
					       i.opened_at + s * interval '10 seconds', 'SYSTEM', 'incident-store',
					       'step ' || s || ' of ' || i.id, jsonb_build_object('step', s::text), NULL, NULL, NULL
					FROM incident i CROSS JOIN generate_series(1, %d) s
					""".formatted(events));
			sql.execute("ANALYZE");
			System.out.printf("filled %d incidents, %d alerts, %d events in %.1f s%n", incidents, 2L * incidents,
					(long) incidents * events, (System.nanoTime() - start) / 1e9);
		}
	}

}
