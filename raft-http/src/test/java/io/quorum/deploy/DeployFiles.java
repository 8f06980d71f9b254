package io.quorum.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The files of the repository's {@code deploy/} directory, found from the test's working directory. */
public final class DeployFiles {

    private static final YAMLMapper YAML = new YAMLMapper();

    private final Path root;

    private DeployFiles(Path root) {
        this.root = root;
    }

    /** Walks up from the working directory (Maven runs a module's tests in the module) to the repository root. */
    public static DeployFiles locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/docker/Dockerfile")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return new DeployFiles(dir);
            }
        }
        throw new IllegalStateException("no repository root with deploy/docker/Dockerfile above " + Path.of("").toAbsolutePath());
    }

    /** {@code relative} resolved against the repository root, normalized. */
    public Path path(String relative) {
        return root.resolve(relative).normalize();
    }

    public String text(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a YAML file ({@code ---} separates them). */
    public List<JsonNode> yamlDocuments(String relative) {
        try {
            return YAML.readerFor(JsonNode.class).<JsonNode>readValues(path(relative).toFile()).readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code program} is an executable file in a directory of {@code PATH}. */
    public static boolean installed(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** The one document of a YAML file. */
    public JsonNode yaml(String relative) {
        List<JsonNode> documents = yamlDocuments(relative);
        if (documents.size() != 1) {
            throw new IllegalStateException(relative + " holds " + documents.size() + " YAML documents, not one");
        }
        return documents.get(0);
    }
}
