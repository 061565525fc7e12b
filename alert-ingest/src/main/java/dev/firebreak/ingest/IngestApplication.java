package dev.firebreak.ingest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * alert-ingest: accepts Alertmanager webhooks and the alerts API, durably, into Kafka.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngestApplication {

	public static void main(String[] args) {
		SpringApplication.run(IngestApplication.class, args);
	}

}
