package io.quorum.raft.scenario;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every transcript in {@code src/test/resources/scenarios} and compares what each command
 * prints with the expected text. With {@code -Dscenarios.rewrite=true} the files are rewritten
 * with the actual output instead, so a reviewer reads the change as a diff.
 */
class ScenarioTest {

    private static final Path SCENARIOS = Path.of("src", "test", "resources", "scenarios");

    @TestFactory
    Stream<DynamicTest> transcripts() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(SCENARIOS)) {
            files = list.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(files).as("scenario transcripts in " + SCENARIOS.toAbsolutePath()).hasSizeGreaterThanOrEqualTo(12);
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> run(file)));
    }

    private static void run(Path file) {
        String text = read(file);
        ScenarioFile scenario = ScenarioFile.parse(text);
        assertThat(scenario.blocks().get(0).preamble()).as(file + " starts with # lines saying what it proves").startsWith("#");
        ScenarioCluster cluster = new ScenarioCluster();
        List<String> actual = new ArrayList<>();
        for (ScenarioFile.Block block : scenario.blocks()) {
            String output;
            try {
                output = cluster.run(block.command());
            } catch (RuntimeException e) {
                output = "error " + e + "\n";
            }
            actual.add(output);
        }
        if (Boolean.getBoolean("scenarios.rewrite")) {
            write(file, scenario.render(actual));
            return;
        }
        for (int b = 0; b < actual.size(); b++) {
            ScenarioFile.Block block = scenario.blocks().get(b);
            assertThat(actual.get(b))
                    .as("%s:%d `%s` (regenerate with -Dscenarios.rewrite=true and review the diff)", file.getFileName(), block.line(), block.command())
                    .isEqualTo(block.expected());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
