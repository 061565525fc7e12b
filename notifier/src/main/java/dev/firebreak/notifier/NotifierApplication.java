package dev.firebreak.notifier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import dev.firebreak.schemas.AvroTrust;

/**
 * notifier: tells people by email, Slack, PagerDuty and webhooks, following each
 * incident.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NotifierApplication {

	public static void main(String[] args) {
		AvroTrust.install();
		SpringApplication.run(NotifierApplication.class, args);
	}

}
