package dev.firebreak.ingest;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Keeps the packages honest: features do not depend on each other in circles, nor on
 * wiring.
 */
@AnalyzeClasses(packages = "dev.firebreak.ingest", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	@ArchTest
	static final ArchRule featuresAreFreeOfCycles = slices().matching("dev.firebreak.ingest.(*)..")
		.should()
		.beFreeOfCycles();

	@ArchTest
	static final ArchRule onlyWiringKnowsTheWiring = noClasses().that()
		.resideOutsideOfPackage("dev.firebreak.ingest.system..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("dev.firebreak.ingest.system..");

	@ArchTest
	static final ArchRule publishingKnowsNothingOfHttp = noClasses().that()
		.resideInAPackage("dev.firebreak.ingest.publish..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("jakarta.servlet..", "org.springframework.web..", "dev.firebreak.ingest.webhook..");

}
