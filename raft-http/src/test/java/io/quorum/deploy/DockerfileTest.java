package io.quorum.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.server.HostPort;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/docker/Dockerfile: the ports, variables, volume, user and health check the other files rely on. */
class DockerfileTest {

    private final DeployFiles files = DeployFiles.locate();
    private final Dockerfile dockerfile = Dockerfile.parse(files.text("deploy/docker/Dockerfile"));

    @Test
    void buildsWithMavenOnTemurin17AndRunsTheJarOnAJre17() {
        List<String> stages = dockerfile.stages();
        assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
        assertThat(stages.get(0)).startsWith("maven:").contains("eclipse-temurin-17").endsWith(" AS build");
        assertThat(stages.get(stages.size() - 1)).contains("17-jre");
        assertThat(dockerfile.runtime("COPY")).anyMatch(c -> c.startsWith("--from=build ") && c.contains("raft-http/target/quorum.jar"));
        assertThat(String.join(" ", dockerfile.runtime("ENTRYPOINT"))).contains("-jar /opt/quorum/quorum.jar");
    }

    @Test
    void readsFromItsContextOnlyTheBuildInputsThatExistInTheRepository() {
        assertThat(dockerfile.copySources()).as("COPY sources (the context ContainerClusterIT sends)")
                .containsExactlyInAnyOrder("pom.xml", "raft-core/pom.xml", "raft-http/pom.xml", "raft-core/src",
                        "raft-http/src", "deploy/docker/ready.sh")
                .allSatisfy(source -> assertThat(files.path(source)).exists());
    }

    @Test
    void exposesTheServersDefaultHttpAndRaftPorts() {
        assertThat(dockerfile.exposedPorts()).containsExactlyInAnyOrder(
                ServerFlags.defaultPort("--http-addr"), ServerFlags.defaultPort("--raft-addr"));
    }

    @Test
    void httpListensOnEveryInterfaceOnTheExposedPort() {
        HostPort http = HostPort.parse(dockerfile.environment().get("QUORUM_HTTP_ADDR"));
        assertThat(http.host()).isEqualTo("0.0.0.0");
        assertThat(http.port()).isEqualTo(ServerFlags.defaultPort("--http-addr"));
    }

    @Test
    void theDataDirectoryIsTheVolume() {
        assertThat(dockerfile.volumes()).containsExactly(dockerfile.environment().get("QUORUM_DATA_DIR"));
    }

    @Test
    void everyQuorumVariableIsTheVariableOfAServerFlag() {
        assertThat(dockerfile.environment().keySet().stream().filter(n -> n.startsWith("QUORUM_")))
                .isNotEmpty()
                .allMatch(ServerFlags.variables()::containsKey);
    }

    @Test
    void runsAsANumericNonRootUser() {
        List<String> users = dockerfile.runtime("USER");
        assertThat(users).isNotEmpty();
        String user = users.get(users.size() - 1);
        assertThat(user).matches("\\d+(:\\d+)?");
        assertThat(Integer.parseInt(user.split(":")[0])).isPositive();
    }

    @Test
    void theHealthCheckAsksReady() {
        List<String> checks = dockerfile.runtime("HEALTHCHECK");
        assertThat(checks).hasSize(1);
        Matcher script = Pattern.compile("CMD \\[\"([^\"]+)\"").matcher(checks.get(0));
        assertThat(script.find()).as("HEALTHCHECK runs a script: %s", checks.get(0)).isTrue();
        String copy = dockerfile.runtime("COPY").stream()
                .filter(c -> c.endsWith(" " + script.group(1)))
                .findFirst().orElseThrow(() -> new AssertionError("no COPY puts " + script.group(1) + " into the image"));
        String source = copy.split("\\s+")[0];
        // ReadyScriptTest runs the script against live nodes, over HTTP and HTTPS.
        assertThat(files.text(source)).contains("path=\"${1:-/ready}\"").contains("QUORUM_HTTP_ADDR");
    }

    @Test
    void theRuntimeImageHasCurlForTheHealthCheckOverHttpsAndOpensslForComposesCertificates() {
        assertThat(dockerfile.runtime("RUN")).anySatisfy(run -> assertThat(run)
                .containsPattern("apt-get install [^&]*\\bcurl\\b").containsPattern("apt-get install [^&]*\\bopenssl\\b"));
    }
}
