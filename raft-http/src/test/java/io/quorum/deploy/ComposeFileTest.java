package io.quorum.deploy;

import static io.quorum.deploy.Yaml.at;
import static io.quorum.deploy.Yaml.map;
import static io.quorum.deploy.Yaml.text;
import static io.quorum.deploy.Yaml.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quorum.raft.tls.CertificateNames;
import io.quorum.raft.tls.PemFiles;
import io.quorum.raft.tls.TlsMaterial;
import io.quorum.server.HostPort;
import io.quorum.server.ServerSettings;
import io.quorum.server.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/compose: three nodes that would start as one cluster (each node's variables make valid
 * server settings), on the Dockerfile's ports and volume, with mutual TLS on the Raft port and
 * HTTPS with client certificates from the files the one-shot {@code tls} service makes (its
 * script is run here for real), with Prometheus scraping each node over HTTPS and loading the
 * alerting rules, and Grafana provisioned with the dashboard.
 */
class ComposeFileTest {

    private static final String DIR = "deploy/compose/";
    private static final String TLS_SERVICE = "tls";

    private final DeployFiles files = DeployFiles.locate();
    private final JsonNode compose = files.yaml(DIR + "docker-compose.yml");
    private final JsonNode services = at(compose, "services");
    private final Dockerfile dockerfile = Dockerfile.parse(files.text("deploy/docker/Dockerfile"));
    private final int httpPort = ServerFlags.defaultPort("--http-addr");
    private final int raftPort = ServerFlags.defaultPort("--raft-addr");

    /** Services that run a Quorum node (they name a member id), by service name. */
    private Map<String, JsonNode> nodes() {
        Map<String, JsonNode> nodes = new TreeMap<>();
        services.properties().forEach(e -> {
            JsonNode env = e.getValue().get("environment");
            if (env != null && env.has("QUORUM_ID")) {
                nodes.put(e.getKey(), e.getValue());
            }
        });
        return nodes;
    }

    /** A file a compose path (relative to the compose file) points at, relative to the repository root. */
    private Path resolve(String composeRelative) {
        return files.path(DIR + composeRelative);
    }

    @Test
    void threeNodesWithStableIdsFormOneClusterByServiceName() {
        Map<String, JsonNode> nodes = nodes();
        assertThat(nodes).containsOnlyKeys("n1", "n2", "n3");
        nodes.forEach((service, node) -> {
            ServerSettings settings = ServerFlags.settingsFrom(map(at(node, "environment")));
            assertThat(settings.id()).isEqualTo(service);
            assertThat(text(node, "hostname")).isEqualTo(service);
            assertThat(settings.members()).containsOnlyKeys(nodes.keySet());
            settings.members().forEach((id, address) ->
                    assertThat(HostPort.parse(address)).isEqualTo(new HostPort(id, raftPort)));
        });
    }

    @Test
    void everyQuorumVariableIsTheVariableOfAServerFlagOrOfTheClientFlagsTheHealthCheckReads() {
        nodes().values().forEach(node -> assertThat(map(at(node, "environment")).keySet())
                .allMatch(n -> ServerFlags.variables().containsKey(n) || ServerFlags.clientVariables().containsKey(n)));
    }

    @Test
    void everyNodeRunsMutualTlsOnTheRaftPortAndHttpsWithClientCertificatesOnceTheTlsServiceIsDone() {
        nodes().forEach((service, node) -> {
            TlsSettings tls = ServerFlags.settingsFrom(map(at(node, "environment"))).tls();
            assertThat(tls.peer()).as("mutual TLS on the Raft port of %s", service).isNotNull();
            assertThat(tls.http()).as("HTTPS on %s", service).isNotNull();
            assertThat(tls.clientCertAuth()).as("client certificates required by %s", service).isTrue();
            assertThat(text(node, "depends_on/" + TLS_SERVICE + "/condition")).isEqualTo("service_completed_successfully");
        });
        assertThat(text(services, "prometheus/depends_on/" + TLS_SERVICE + "/condition")).isEqualTo("service_completed_successfully");
        assertThat(services.has(TLS_SERVICE) && !nodes().containsKey(TLS_SERVICE)).isTrue();
        assertThat(at(services, TLS_SERVICE).has("ports")).as("the tls service publishes nothing").isFalse();
    }

    @Test
    void theTlsServiceMakesTheFilesEachNodeAndPrometheusReadWithTheRightNamesAndCas(@TempDir Path volumes) throws Exception {
        Map<String, Path> volumeDirs = runTlsService(volumes);
        Map<String, String> nodeTls = new TreeMap<>();
        nodes().forEach((service, node) -> {
            Map<String, String> env = map(at(node, "environment"));
            TlsSettings tls = ServerFlags.settingsFrom(env).tls();
            PemFiles peer = new PemFiles(onHost(node, tls.peer().certFile(), volumeDirs), onHost(node, tls.peer().keyFile(), volumeDirs),
                    onHost(node, tls.peer().trustedCaFile(), volumeDirs));
            PemFiles http = new PemFiles(onHost(node, tls.http().certFile(), volumeDirs), onHost(node, tls.http().keyFile(), volumeDirs),
                    onHost(node, tls.http().trustedCaFile(), volumeDirs));
            // What the node checks at start: each key matches its certificate, each file parses.
            new TlsSettings(peer, http, true, tls.reloadInterval()).load();
            X509Certificate member = certificate(peer.certFile());
            assertThat(CertificateNames.of(member)).as("the names of %s's certificate", service).contains(service);
            assertThat(alternativeNames(member)).as("%s's published port is reached at localhost", service)
                    .contains("localhost", "127.0.0.1");
            assertIssuedBy(member, peer.trustedCaFile());
            assertThat(peer.trustedCaFile()).as("client certificates come from another CA than members'")
                    .isNotEqualTo(http.trustedCaFile());

            // The health check (ready.sh) presents QUORUM_CERT and checks the node against QUORUM_CACERT.
            assertThat(onHost(node, Path.of(env.get("QUORUM_CACERT")), volumeDirs)).isEqualTo(peer.trustedCaFile());
            TlsMaterial.load(new PemFiles(onHost(node, Path.of(env.get("QUORUM_CERT")), volumeDirs),
                    onHost(node, Path.of(env.get("QUORUM_KEY")), volumeDirs), null));
            assertIssuedBy(certificate(onHost(node, Path.of(env.get("QUORUM_CERT")), volumeDirs)), http.trustedCaFile());
            nodeTls.put(service, peer.trustedCaFile() + " " + http.trustedCaFile());
        });
        assertThat(nodeTls.values()).as("one peer CA and one client CA for all nodes").hasSize(3).containsOnly(nodeTls.get("n1"));

        JsonNode prometheus = at(services, "prometheus");
        JsonNode job = at(files.yaml(DIR + "prometheus.yml"), "scrape_configs").get(0);
        assertThat(text(job, "scheme")).isEqualTo("https");
        Path ca = onHost(prometheus, Path.of(text(job, "tls_config/ca_file")), volumeDirs);
        Path cert = onHost(prometheus, Path.of(text(job, "tls_config/cert_file")), volumeDirs);
        TlsMaterial.load(new PemFiles(cert, onHost(prometheus, Path.of(text(job, "tls_config/key_file")), volumeDirs), ca));
        String[] cas = nodeTls.get("n1").split(" ");
        assertThat(ca).as("Prometheus checks the nodes against the peer CA").isEqualTo(Path.of(cas[0]));
        assertIssuedBy(certificate(cert), Path.of(cas[1]));
    }

    /**
     * Runs the {@code tls} service's entrypoint script from the repository, with the directory each
     * named volume it mounts stands for under {@code volumes}; that directory by volume name.
     */
    private Map<String, Path> runTlsService(Path volumes) throws Exception {
        assumeTrue(DeployFiles.installed("openssl") && DeployFiles.installed("bash"), "openssl and bash are needed to run the tls service's script");
        JsonNode tls = at(services, TLS_SERVICE);
        Map<String, String> mounts = mounts(tls);
        List<String> entrypoint = texts(at(tls, "entrypoint"));
        assertThat(entrypoint).hasSize(3);
        assertThat(entrypoint.get(0)).isEqualTo("bash");
        String script = mounts.get(entrypoint.get(1));
        assertThat(script).as("the entrypoint's script is mounted from the repository").isNotNull();
        Map<String, Path> volumeDirs = new TreeMap<>();
        mounts.forEach((target, source) -> {
            if (at(compose, "volumes").has(source)) {
                volumeDirs.put(source, volumes.resolve(source));
            }
        });
        Path output = onHost(tls, Path.of(entrypoint.get(2)), volumeDirs);
        // The script finds certs.sh beside it as mounted: the mounts keep the repository's layout.
        Path scriptInContainer = Path.of(entrypoint.get(1));
        mounts.forEach((target, source) -> {
            if (!at(compose, "volumes").has(source)) {
                assertThat(scriptInContainer.getParent().relativize(Path.of(target)))
                        .isEqualTo(resolve(script).getParent().relativize(resolve(source)));
            }
        });
        Process process = new ProcessBuilder("bash", resolve(script).toString(), output.toString())
                .redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the tls script finished").isTrue();
        assertThat(process.exitValue()).as("the tls script:%n%s", log).isZero();
        return volumeDirs;
    }

    /** Where a path inside {@code service}'s container is when its named volumes are the directories given. */
    private static Path onHost(JsonNode service, Path inContainer, Map<String, Path> volumeDirs) {
        Map<String, String> mounts = mounts(service);
        for (Map.Entry<String, String> mount : mounts.entrySet()) {
            Path target = Path.of(mount.getKey());
            if (inContainer.startsWith(target) && volumeDirs.containsKey(mount.getValue())) {
                return volumeDirs.get(mount.getValue()).resolve(target.relativize(inContainer).toString());
            }
        }
        throw new AssertionError(inContainer + " is on no named volume of " + service);
    }

    private static X509Certificate certificate(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError("no certificate in " + file, e);
        }
    }

    private static void assertIssuedBy(X509Certificate certificate, Path caFile) {
        try {
            certificate.verify(certificate(caFile).getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(certificate.getSubjectX500Principal() + " is not issued by the CA in " + caFile, e);
        }
    }

    private static List<String> alternativeNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            certificate.getSubjectAlternativeNames().forEach(name -> names.add(String.valueOf(name.get(1))));
        } catch (CertificateParsingException e) {
            throw new AssertionError(e);
        }
        return names;
    }

    @Test
    void nodesRunTheImageOfTheDockerfileBuiltFromTheRepositoryRoot() {
        nodes().values().forEach(node -> {
            Path context = resolve(text(node, "build/context"));
            assertThat(context).isEqualTo(files.path(""));
            assertThat(context.resolve(text(node, "build/dockerfile")).normalize()).isEqualTo(files.path("deploy/docker/Dockerfile"));
        });
    }

    @Test
    void httpListensOnEveryInterfaceAndIsPublishedOnOneHostPortPerNode() {
        List<String> hostPorts = new ArrayList<>();
        nodes().values().forEach(node -> {
            HostPort http = HostPort.parse(text(node, "environment/QUORUM_HTTP_ADDR"));
            assertThat(http).isEqualTo(new HostPort("0.0.0.0", httpPort));
            List<String> ports = texts(at(node, "ports"));
            assertThat(ports).hasSize(1);
            String[] parts = ports.get(0).split(":");
            assertThat(Integer.parseInt(parts[parts.length - 1])).isEqualTo(httpPort);
            hostPorts.add(parts[parts.length - 2]);
        });
        assertThat(hostPorts).containsExactly("7001", "7002", "7003");
        assertThat(dockerfile.exposedPorts()).contains(httpPort, raftPort);
    }

    @Test
    void eachNodeKeepsItsDataOnItsOwnNamedVolumeAtTheImagesVolume() {
        String volume = dockerfile.volumes().get(0);
        List<String> named = new ArrayList<>();
        nodes().values().forEach(node -> {
            assertThat(text(node, "environment/QUORUM_DATA_DIR")).isEqualTo(volume);
            String mount = texts(at(node, "volumes")).stream().filter(v -> v.endsWith(":" + volume)).findFirst()
                    .orElseThrow(() -> new AssertionError("no volume at " + volume + " in " + node));
            named.add(mount.substring(0, mount.indexOf(':')));
        });
        assertThat(named).doesNotHaveDuplicates();
        named.forEach(n -> assertThat(at(compose, "volumes").has(n)).as("volume %s declared", n).isTrue());
    }

    @Test
    void prometheusScrapesEveryNodeAndLoadsTheAlertingRules() {
        JsonNode prometheus = at(services, "prometheus");
        Map<String, String> mounts = mounts(prometheus);
        String configArg = texts(at(prometheus, "command")).stream().filter(c -> c.startsWith("--config.file="))
                .findFirst().orElseThrow().substring("--config.file=".length());
        String config = mounts.get(configArg);
        assertThat(config).as("the config file is mounted").isNotNull();
        JsonNode scrape = files.yaml(DIR + config);

        List<String> rules = texts(at(scrape, "rule_files"));
        assertThat(rules).hasSize(1);
        assertThat(resolve(mounts.get(rules.get(0)))).isEqualTo(files.path("deploy/prometheus/alerts.yml"));

        JsonNode job = at(scrape, "scrape_configs").get(0);
        assertThat(text(job, "metrics_path")).isEqualTo("/metrics");
        assertThat(text(job, "scheme")).isEqualTo("https");
        List<String> targets = new ArrayList<>();
        at(job, "static_configs").forEach(c -> {
            List<String> t = texts(at(c, "targets"));
            targets.addAll(t);
            assertThat(t).containsExactly(text(c, "labels/node") + ":" + httpPort);
        });
        assertThat(targets).containsExactlyInAnyOrderElementsOf(
                nodes().keySet().stream().map(n -> n + ":" + httpPort).toList());
    }

    @Test
    void grafanaIsProvisionedWithThePrometheusDatasourceAndTheDashboard() {
        Map<String, String> mounts = mounts(at(services, "grafana"));
        assertThat(resolve(mounts.get("/etc/grafana/provisioning"))).isEqualTo(files.path("deploy/grafana/provisioning"));

        JsonNode provider = at(files.yaml("deploy/grafana/provisioning/dashboards/quorum.yml"), "providers").get(0);
        String dashboards = mounts.get(text(provider, "options/path"));
        assertThat(dashboards).as("the provider's path is mounted").isNotNull();
        assertThat(resolve(dashboards).resolve("quorum-overview.json")).isRegularFile();

        JsonNode datasource = at(files.yaml("deploy/grafana/provisioning/datasources/prometheus.yml"), "datasources").get(0);
        assertThat(text(datasource, "type")).isEqualTo("prometheus");
        assertThat(text(datasource, "url")).isEqualTo("http://prometheus:9090");
        assertThat(services.has("prometheus")).isTrue();
    }

    /** A service's bind mounts and volumes: container path to source. */
    private static Map<String, String> mounts(JsonNode service) {
        Map<String, String> mounts = new TreeMap<>();
        for (String volume : texts(at(service, "volumes"))) {
            String[] parts = volume.split(":");
            mounts.put(parts[1], parts[0]);
        }
        return mounts;
    }
}
