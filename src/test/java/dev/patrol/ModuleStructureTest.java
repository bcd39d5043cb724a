package dev.patrol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * Patrol's feature modules (the packages below {@code dev.patrol}) depend on each other without cycles and only
 * through what each exposes; the diagram of those dependencies committed in {@value #DIAGRAM} is the code's.
 */
class ModuleStructureTest {

    static final String DIAGRAM = "src/docs/modules.puml";
    static final ApplicationModules MODULES = ApplicationModules.of(PatrolApplication.class);

    @Test
    void modulesDependOnEachOtherWithoutCyclesAndOnlyThroughTheirApi() {
        MODULES.verify();
    }

    /**
     * Nothing in the build rewrites tracked files: the test writes the current diagram to target/ and compares. The
     * Documenter lists components and relations in no fixed order, so the lines are compared as sets.
     */
    @Test
    void theCommittedModuleDiagramIsTheCodes() throws IOException {
        Path folder = Path.of("target", "modules");
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(folder.toString()))
                .writeModulesAsPlantUml();
        Path current = folder.resolve("components.puml");

        assertThat(Files.readAllLines(current))
                .as("The module diagram changed: review it and copy %s to %s", current, DIAGRAM)
                .containsExactlyInAnyOrderElementsOf(Files.readAllLines(Path.of(DIAGRAM)));
    }
}
