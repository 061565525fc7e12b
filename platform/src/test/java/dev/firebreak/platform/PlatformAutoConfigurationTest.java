package dev.firebreak.platform;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.core.KafkaAdmin;

import dev.firebreak.schemas.Topics;
import dev.firebreak.testkit.KafkaTopics;
import dev.firebreak.testkit.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformAutoConfigurationTest {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, PlatformAutoConfiguration.class))
		.withPropertyValues("spring.kafka.bootstrap-servers=" + TestInfrastructure.kafka().bootstrapServers());

	@Test
	void createsTheCatalogueTopicsWhenMissing() {
		this.contextRunner.withPropertyValues("firebreak.topics.partitions=2").run((context) -> {
			context.getBean(KafkaAdmin.class).initialize();

			assertThat(KafkaTopics.names(TestInfrastructure.kafka()))
				.containsAll(Topics.all().stream().map(dev.firebreak.schemas.Topic::name).toList());
		});
	}

	@Test
	void reportsKafkaUpWhenTheClusterAnswers() {
		this.contextRunner.run((context) -> assertThat(context.getBean(KafkaReadiness.class).health().getStatus())
			.isEqualTo(Status.UP));
	}

	@Test
	void reportsKafkaDownWhenNothingListens() {
		this.contextRunner
			.withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:1", "spring.kafka.admin.auto-create=false")
			.run((context) -> assertThat(context.getBean(KafkaReadiness.class).health().getStatus())
				.isEqualTo(Status.DOWN));
	}

	@Test
	void failsFastOnAnInvalidPartitionCount() {
		this.contextRunner.withPropertyValues("firebreak.topics.partitions=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("firebreak.topics.partitions must be at least 1"));
	}

}
