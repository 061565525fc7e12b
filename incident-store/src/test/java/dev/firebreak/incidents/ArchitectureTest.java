package dev.firebreak.incidents;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Keeps the packages honest: the rules are plain Java, the topology knows nothing of
 * Spring, and only the wiring knows the wiring.
 */
@AnalyzeClasses(packages = "dev.firebreak.incidents", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	@ArchTest
	static final ArchRule featuresAreFreeOfCycles = slices().matching("dev.firebreak.incidents.(*)..")
		.should()
		.beFreeOfCycles();

	@ArchTest
	static final ArchRule onlyWiringKnowsTheWiring = noClasses().that()
		.resideOutsideOfPackage("dev.firebreak.incidents.system..")
		.and()
		.resideOutsideOfPackage("dev.firebreak.incidents")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("dev.firebreak.incidents.system..");

	@ArchTest
	static final ArchRule rulesArePlainJava = noClasses().that()
		.resideInAnyPackage("dev.firebreak.incidents.incident..", "dev.firebreak.incidents.maintenance..",
				"dev.firebreak.incidents.escalation..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.apache.kafka..", "org.springframework..");

	@ArchTest
	static final ArchRule topologyKnowsNothingOfSpring = noClasses().that()
		.resideInAPackage("dev.firebreak.incidents.correlation..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework..");

}
