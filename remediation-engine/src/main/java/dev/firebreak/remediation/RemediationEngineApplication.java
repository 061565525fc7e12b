package dev.firebreak.remediation;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import dev.firebreak.schemas.AvroTrust;

/**
 * remediation-engine: runs the runbook that matches an incident's alert, behind
 * guardrails, and checks that the alert cleared.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RemediationEngineApplication {

	public static void main(String[] args) {
		AvroTrust.install();
		SpringApplication.run(RemediationEngineApplication.class, args);
	}

}
