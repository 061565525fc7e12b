package dev.firebreak.incidents;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import dev.firebreak.schemas.AvroTrust;

/**
 * incident-store: the Kafka Streams topology that turns alerts and commands into
 * incidents, the only writer of incident state.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IncidentStoreApplication {

	public static void main(String[] args) {
		AvroTrust.install();
		SpringApplication.run(IncidentStoreApplication.class, args);
	}

}
