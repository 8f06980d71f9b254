package io.quorum.deploy;

import static io.quorum.deploy.Yaml.at;
import static io.quorum.deploy.Yaml.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import io.quorum.client.ClientOptions;
import io.quorum.client.KeyValue;
import io.quorum.client.QuorumClient;
import io.quorum.client.QuorumException;
import io.quorum.raft.testing.Await;
import io.quorum.raft.tls.PemFiles;
import io.quorum.raft.tls.TlsMaterial;
import io.quorum.server.HostPort;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.MountableFile;

/**
 * The image of {@code deploy/docker/Dockerfile}, built with the repository root as its context,
 * run as the three nodes of {@code deploy/compose/docker-compose.yml} (their environment, reached
 * by service name on one Docker network, with the certificates the compose file's {@code tls}
 * service makes: its script runs here, on the host, and the files are copied where the nodes
 * mount them), losing its leader's container and then having a node cut off from the network.
 * Each test starts a fresh cluster. Disabled where no Docker engine is reachable; needs bash and
 * openssl on the host.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerClusterIT {

    private static final String DOCKERFILE = "deploy/docker/Dockerfile";
    private static final String COMPOSE = "deploy/compose/docker-compose.yml";
    private static final List<String> NODES = List.of("n1", "n2", "n3");
    /** Building the image runs the Maven build inside Docker; starting waits for a leader. */
    private static final Duration STARTUP = Duration.ofMinutes(10);
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Pattern STATUS = Pattern.compile("(\\d{3})$");
    private static final String TLS_INIT = "deploy/compose/tls-init.sh";

    private static final DeployFiles FILES = DeployFiles.locate();
    private static ImageFromDockerfile image;
    @TempDir
    static Path tls;

    @RegisterExtension
    final TestExecutionExceptionHandler logs = (context, failure) -> {
        System.err.println("==== " + context.getDisplayName() + " failed: " + failure + "; the nodes' logs follow");
        printLogs();
        throw failure;
    };

    private final Map<String, GenericContainer<?>> nodes = new TreeMap<>();
    private Network network;
    private int httpPort;

    /**
     * The image, built once for the class: the Dockerfile and exactly what its COPY instructions
     * read; and the certificates, made once by the compose file's tls script.
     */
    @BeforeAll
    static void describeImageAndMakeCertificates() throws Exception {
        image = new ImageFromDockerfile("quorum-container-it", true).withDockerfilePath(DOCKERFILE);
        image.withFileFromPath(DOCKERFILE, FILES.path(DOCKERFILE));
        for (String source : Dockerfile.parse(FILES.text(DOCKERFILE)).copySources()) {
            image.withFileFromPath(source, FILES.path(source));
        }
        assumeTrue(DeployFiles.installed("bash") && DeployFiles.installed("openssl"), "bash and openssl make the certificates");
        Process process = new ProcessBuilder("bash", FILES.path(TLS_INIT).toString(), tls.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    @BeforeEach
    void startThreeNodes() {
        network = Network.newNetwork();
        JsonNode services = at(FILES.yaml(COMPOSE), "services");
        for (String id : NODES) {
            Map<String, String> env = map(at(services, id + "/environment"));
            httpPort = HostPort.parse(env.get("QUORUM_HTTP_ADDR")).port();
            // The image's health check: it presents the probe certificate the API asks for.
            GenericContainer<?> node = new GenericContainer<>(image)
                    .withNetwork(network)
                    .withNetworkAliases(id)
                    .withEnv(env)
                    .withExposedPorts(httpPort)
                    .waitingFor(Wait.forSuccessfulCommand("/opt/quorum/ready.sh").withStartupTimeout(STARTUP));
            String mount = tlsMount(at(services, id));
            for (File file : Objects.requireNonNull(tls.toFile().listFiles())) {
                node.withCopyFileToContainer(MountableFile.forHostPath(file.toPath(), 0644), mount + "/" + file.getName());
            }
            nodes.put(id, node);
        }
        // In parallel: a node is ready only once a majority has elected a leader.
        try {
            Startables.deepStart(nodes.values()).join();
        } catch (RuntimeException e) {
            printLogs();
            throw e;
        }
    }

    /** Where {@code service} mounts the volume the tls service writes. */
    private static String tlsMount(JsonNode service) {
        for (String volume : Yaml.texts(at(service, "volumes"))) {
            String[] parts = volume.split(":");
            if (parts[0].equals("tls")) {
                return parts[1];
            }
        }
        throw new AssertionError("no tls volume in " + service);
    }

    @AfterEach
    void stopAll() {
        nodes.values().forEach(GenericContainer::stop);
        if (network != null) {
            network.close();
        }
    }

    /** Every node container's output, each under a header line. */
    private void printLogs() {
        nodes.forEach((id, node) -> {
            if (node.getContainerId() != null) {
                System.err.println("======== " + id + " container log");
                System.err.println(node.getLogs());
            }
        });
    }

    @Test
    void theServiceContinuesWhenTheLeadersContainerStops() {
        QuorumClient all = client(NODES);
        all.put("containers/before", bytes("written by three"));
        String leader = all.cluster().leader();
        assertThat(NODES).contains(leader);

        DockerClient docker = DockerClientFactory.instance().client();
        String leaderContainer = nodes.get(leader).getContainerId();
        docker.stopContainerCmd(leaderContainer).withTimeout(30).exec();
        Long exit = docker.inspectContainerCmd(leaderContainer).exec().getState().getExitCodeLong();
        assertThat(exit).as("the leader's exit status after docker stop (SIGTERM)").isEqualTo(0L);

        List<String> survivors = NODES.stream().filter(id -> !id.equals(leader)).toList();
        QuorumClient majority = client(survivors);
        awaitWrite(majority, "containers/after", "written by two");
        String newLeader = majority.cluster().leader();
        assertThat(survivors).as("the new leader").contains(newLeader);
        for (String survivor : survivors) {
            QuorumClient one = client(List.of(survivor));
            assertThat(text(one.get("containers/before"))).as("read on " + survivor).contains("written by three");
            assertThat(text(one.get("containers/after"))).as("read on " + survivor).contains("written by two");
        }
    }

    @Test
    void aNodeCutOffFromTheNetworkRefusesWritesWhileTheMajorityServes() throws Exception {
        QuorumClient all = client(NODES);
        all.put("containers/before", bytes("written by three"));
        String isolated = all.cluster().leader();
        DockerClientFactory.instance().client().disconnectFromNetworkCmd()
                .withNetworkId(network.getId()).withContainerId(nodes.get(isolated).getContainerId()).exec();

        List<String> majorityIds = NODES.stream().filter(id -> !id.equals(isolated)).toList();
        QuorumClient majority = client(majorityIds);
        awaitWrite(majority, "containers/majority", "written by two");
        assertThat(majority.cluster().leader()).as("the majority's leader").isIn(majorityIds);
        for (String id : majorityIds) {
            assertThat(text(client(List.of(id)).get("containers/majority"))).as("read on " + id)
                    .contains("written by two");
        }

        // Off the network its published port is unreachable too: the write is sent from inside.
        int status = writeFromInside(nodes.get(isolated), "/v1/kv/containers/isolated", "lost");
        assertThat(status).as("a write on the isolated node " + isolated).isIn(503, 504);
        assertThat(majority.get("containers/isolated")).as("the isolated node's write on the majority").isEmpty();
    }

    /** Retries the write until the cluster commits it: after a leader is lost, the next one must be elected first. */
    private static void awaitWrite(QuorumClient client, String key, String value) {
        Await.until("the write of " + key + " commits", DEADLINE, () -> {
            try {
                client.put(key, bytes(value));
                return true;
            } catch (QuorumException e) {
                return false;
            }
        });
    }

    /**
     * {@code PUT path} sent by the image's curl inside the container to the node's own HTTPS port,
     * with the certificates of the health check; the status of the answer.
     */
    private int writeFromInside(GenericContainer<?> node, String path, String value) throws Exception {
        String script = "curl -sS -o /dev/null -w '%{http_code}' --max-time 120 --cacert \"$QUORUM_CACERT\""
                + " --cert \"$QUORUM_CERT\" --key \"$QUORUM_KEY\" -X PUT --data-binary '" + value + "'"
                + " https://localhost:" + httpPort + path;
        Container.ExecResult result = node.execInContainer("bash", "-c", script);
        Matcher status = STATUS.matcher(result.getStdout().strip());
        assertThat(status.find()).as("an HTTP answer from inside the container: " + result).isTrue();
        return Integer.parseInt(status.group(1));
    }

    /** A client of these nodes' published ports, with the compose file's client certificate (for the CLI on the host). */
    private QuorumClient client(List<String> ids) {
        List<URI> endpoints = ids.stream().map(nodes::get)
                .map(c -> URI.create("https://" + c.getHost() + ":" + c.getMappedPort(httpPort))).toList();
        TlsMaterial material = TlsMaterial.load(new PemFiles(tls.resolve("client.pem"), tls.resolve("client-key.pem"),
                tls.resolve("peer-ca.pem")));
        return QuorumClient.of(endpoints, ClientOptions.DEFAULTS.withTls(material));
    }

    private static Optional<String> text(Optional<KeyValue> value) {
        return value.map(v -> new String(v.value(), StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
