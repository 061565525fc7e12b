package dev.firebreak.platform.security;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.annotation.CurrentSecurityContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.firebreak.platform.PlatformAutoConfiguration;

/**
 * A service as small as can be, behind the platform's access control: one path per role,
 * and a count of the requests that reached a controller.
 */
@SpringBootApplication(exclude = { KafkaAutoConfiguration.class, PlatformAutoConfiguration.class })
class GuardedApplication {

	static final AtomicInteger reached = new AtomicInteger();

	@Bean
	AccessRules thingRules() {
		return (requests) -> requests.requestMatchers(HttpMethod.POST, "/api/v1/things")
			.hasRole(Role.SENDER.name())
			.requestMatchers(HttpMethod.GET, "/api/v1/things/**")
			.hasRole(Role.VIEWER.name())
			.requestMatchers(HttpMethod.POST, "/api/v1/things/*/act")
			.hasRole(Role.OPERATOR.name())
			.requestMatchers(HttpMethod.GET, "/openapi.yaml")
			.permitAll();
	}

	@RestController
	static class Things {

		@PostMapping("/api/v1/things")
		Map<String, Object> send(@CurrentSecurityContext(expression = "authentication.name") String actor) {
			return answer(actor);
		}

		@GetMapping("/api/v1/things")
		Map<String, Object> list(@CurrentSecurityContext(expression = "authentication.name") String actor) {
			return answer(actor);
		}

		@PostMapping("/api/v1/things/{id}/act")
		Map<String, Object> act(@PathVariable String id,
				@CurrentSecurityContext(expression = "authentication.name") String actor) {
			return answer(actor);
		}

		@GetMapping("/openapi.yaml")
		String description() {
			return "openapi: 3.1.0";
		}

		private static Map<String, Object> answer(String actor) {
			reached.incrementAndGet();
			return Map.of("actor", actor);
		}

	}

}
