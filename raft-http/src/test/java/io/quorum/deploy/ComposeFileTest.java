package io.quorum.deploy;

import static io.quorum.deploy.Yaml.at;
import static io.quorum.deploy.Yaml.map;
import static io.quorum.deploy.Yaml.text;
import static io.quorum.deploy.Yaml.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quorum.server.HostPort;
import io.quorum.server.ServerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * deploy/compose: three nodes that would start as one cluster (each node's variables make valid
 * server settings), on the Dockerfile's ports and volume, with Prometheus scraping each node and
 * loading the alerting rules, and Grafana provisioned with the dashboard.
 */
class ComposeFileTest {

    private static final String DIR = "deploy/compose/";

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
    void everyQuorumVariableIsTheVariableOfAServerFlag() {
        nodes().values().forEach(node ->
                assertThat(map(at(node, "environment")).keySet()).allMatch(ServerFlags.variables()::containsKey));
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
