package io.quorum.deploy;

import static io.quorum.deploy.Yaml.at;
import static io.quorum.deploy.Yaml.map;
import static io.quorum.deploy.Yaml.text;
import static io.quorum.deploy.Yaml.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.quorum.server.HostPort;
import io.quorum.server.ServerSettings;
import io.quorum.server.TlsSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s: every pod of the StatefulSet would start as a member of one cluster with a stable id
 * (its pod name), reachable through the headless Service, with mutual TLS on the Raft port and
 * HTTPS with client certificates, each member presenting the certificate of the Secret named after
 * it; probes run the image's {@code ready.sh} for {@code /ready} and {@code /health}; only members
 * reach the Raft port; data sits on a claim at the image's volume.
 */
class KubernetesFilesTest {

    private static final String DIR = "deploy/k8s/";
    private static final String NAMESPACE = "coordination";
    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private final DeployFiles files = DeployFiles.locate();
    private final Dockerfile dockerfile = Dockerfile.parse(files.text("deploy/docker/Dockerfile"));
    private final Map<String, JsonNode> objects = objects();
    private final JsonNode statefulSet = one("StatefulSet");
    private final JsonNode pod = at(statefulSet, "spec/template");
    private final JsonNode container = at(pod, "spec/containers").get(0);

    /** Every object of the files the kustomization lists, by {@code kind/name}. */
    private Map<String, JsonNode> objects() {
        Map<String, JsonNode> all = new LinkedHashMap<>();
        for (String file : texts(at(files.yaml(DIR + "kustomization.yaml"), "resources"))) {
            for (JsonNode object : files.yamlDocuments(DIR + file)) {
                all.put(text(object, "kind") + "/" + text(object, "metadata/name"), object);
            }
        }
        return all;
    }

    private JsonNode one(String kind) {
        List<JsonNode> found = ofKind(kind);
        assertThat(found).as("objects of kind %s", kind).hasSize(1);
        return found.get(0);
    }

    private List<JsonNode> ofKind(String kind) {
        return objects.entrySet().stream().filter(e -> e.getKey().startsWith(kind + "/")).map(Map.Entry::getValue).toList();
    }

    /** The container port a probe's or Service's port (a name or a number) refers to. */
    private int containerPort(JsonNode port) {
        for (JsonNode p : at(container, "ports")) {
            if (port.isInt() ? p.get("containerPort").asInt() == port.asInt() : text(p, "name").equals(port.asText())) {
                return p.get("containerPort").asInt();
            }
        }
        throw new AssertionError("the container has no port " + port);
    }

    /** The container's variables as the kubelet would set them in the pod named {@code podName}. */
    private Map<String, String> environment(String podName) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode variable : at(container, "env")) {
            String name = text(variable, "name");
            if (variable.has("value")) {
                Matcher m = REFERENCE.matcher(text(variable, "value"));
                StringBuilder value = new StringBuilder();
                while (m.find()) {
                    String referenced = env.get(m.group(1));
                    assertThat(referenced).as("%s refers to %s, defined before it", name, m.group(1)).isNotNull();
                    m.appendReplacement(value, Matcher.quoteReplacement(referenced));
                }
                env.put(name, m.appendTail(value).toString());
            } else {
                String field = text(variable, "valueFrom/fieldRef/fieldPath");
                assertThat(field).isIn("metadata.name", "metadata.namespace");
                env.put(name, field.equals("metadata.name") ? podName : NAMESPACE);
            }
        }
        return env;
    }

    private List<String> podNames() {
        List<String> names = new ArrayList<>();
        for (int ordinal = 0; ordinal < at(statefulSet, "spec/replicas").asInt(); ordinal++) {
            names.add(text(statefulSet, "metadata/name") + "-" + ordinal);
        }
        return names;
    }

    private boolean selects(JsonNode selector) {
        Map<String, String> labels = map(at(pod, "metadata/labels"));
        return !selector.isEmpty() && map(selector).entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    @Test
    void everyPodIsAMemberNamedAfterItselfAtItsNameUnderTheHeadlessService() {
        String peers = text(statefulSet, "spec/serviceName");
        int raftPort = containerPort(TextNode.valueOf("raft"));
        List<String> podNames = podNames();
        assertThat(podNames).hasSize(3);
        for (String podName : podNames) {
            ServerSettings settings = ServerFlags.settingsFrom(environment(podName));
            assertThat(settings.id()).isEqualTo(podName);
            assertThat(settings.members()).containsOnlyKeys(podNames);
            settings.members().forEach((id, address) -> assertThat(HostPort.parse(address))
                    .isEqualTo(new HostPort(id + "." + peers + "." + NAMESPACE + ".svc.cluster.local", raftPort)));
        }
        assertThat(raftPort).isEqualTo(ServerFlags.defaultPort("--raft-addr"));
    }

    @Test
    void everyQuorumVariableIsTheVariableOfAServerFlagOrOfTheClientFlagsTheProbesRead() {
        assertThat(environment("quorum-0").keySet().stream().filter(n -> n.startsWith("QUORUM_")))
                .isNotEmpty()
                .allMatch(n -> ServerFlags.variables().containsKey(n) || ServerFlags.clientVariables().containsKey(n));
    }

    /** Where each file of the projected volume {@code volume} comes from: its path in the volume to "secret/key". */
    private Map<String, String> projectedFiles(String volume) {
        JsonNode found = null;
        for (JsonNode v : at(pod, "spec/volumes")) {
            if (text(v, "name").equals(volume)) {
                found = v;
            }
        }
        assertThat(found).as("the pod has a volume %s", volume).isNotNull();
        Map<String, String> files = new LinkedHashMap<>();
        for (JsonNode source : at(found, "projected/sources")) {
            String secret = text(source, "secret/name");
            for (JsonNode item : at(source, "secret/items")) {
                String previous = files.put(text(item, "path"), secret + "/" + text(item, "key"));
                assertThat(previous).as("two sources write %s", text(item, "path")).isNull();
            }
        }
        return files;
    }

    /** The mount path of the container's volume {@code volume}. */
    private String mountPath(String volume) {
        for (JsonNode mount : at(container, "volumeMounts")) {
            if (text(mount, "name").equals(volume)) {
                return text(mount, "mountPath");
            }
        }
        throw new AssertionError("the container mounts no volume " + volume);
    }

    /** The Secret and key that provide {@code file} (an absolute path in the container) through the tls volume. */
    private String secretKeyOf(Path file) {
        Path mount = Path.of(mountPath("tls"));
        assertThat(file.startsWith(mount)).as("%s is under the tls volume %s", file, mount).isTrue();
        String source = projectedFiles("tls").get(mount.relativize(file).toString());
        assertThat(source).as("the tls volume provides %s", file).isNotNull();
        return source;
    }

    @Test
    void everyMemberPresentsTheCertificateOfTheSecretNamedAfterItOnTheRaftPortAndOverHttps() {
        List<String> podNames = podNames();
        for (String podName : podNames) {
            TlsSettings tls = ServerFlags.settingsFrom(environment(podName)).tls();
            assertThat(tls.peer()).as("mutual TLS on the Raft port of %s", podName).isNotNull();
            assertThat(tls.http()).as("HTTPS on %s", podName).isNotNull();
            assertThat(tls.clientCertAuth()).as("client certificates required by %s", podName).isTrue();
            assertThat(secretKeyOf(tls.peer().certFile())).isEqualTo(podName + "-tls/tls.crt");
            assertThat(secretKeyOf(tls.peer().keyFile())).isEqualTo(podName + "-tls/tls.key");
            assertThat(tls.http().certFile()).isEqualTo(tls.peer().certFile());
            assertThat(tls.http().keyFile()).isEqualTo(tls.peer().keyFile());
            // The peer CA comes with a member's Secret; client certificates are checked against another CA.
            String peerCa = secretKeyOf(tls.peer().trustedCaFile());
            assertThat(peerCa).endsWith("/ca.crt").isIn(podNames.stream().map(n -> n + "-tls/ca.crt").toList());
            assertThat(secretKeyOf(tls.http().trustedCaFile())).endsWith("/ca.crt").isNotEqualTo(peerCa);
        }
        List<String> memberSecrets = new ArrayList<>();
        projectedFiles("tls").values().stream().map(source -> source.substring(0, source.indexOf('/')))
                .distinct().filter(secret -> secret.matches(".*-\\d+-tls")).forEach(memberSecrets::add);
        assertThat(memberSecrets).as("one Secret per member, as many as replicas")
                .containsExactlyElementsOf(podNames.stream().map(n -> n + "-tls").toList());
    }

    @Test
    void probesRunTheImagesReadyScriptWithAClientCertificateOfTheClientCa() {
        String script = dockerfile.runtime("HEALTHCHECK").get(0).replaceFirst(".*CMD \\[\"([^\"]+)\".*", "$1");
        assertThat(texts(at(container, "readinessProbe/exec/command"))).containsExactly(script, "/ready");
        assertThat(texts(at(container, "livenessProbe/exec/command"))).containsExactly(script, "/health");
        assertThat(texts(at(container, "startupProbe/exec/command"))).containsExactly(script, "/health");

        Map<String, String> env = environment("quorum-0");
        TlsSettings tls = ServerFlags.settingsFrom(env).tls();
        assertThat(env).containsKeys("QUORUM_CACERT", "QUORUM_CERT", "QUORUM_KEY");
        assertThat(Path.of(env.get("QUORUM_CACERT"))).as("the probe checks the node's certificate against the peer CA")
                .isEqualTo(tls.peer().trustedCaFile());
        String probeCertificate = secretKeyOf(Path.of(env.get("QUORUM_CERT")));
        String probeSecret = probeCertificate.substring(0, probeCertificate.indexOf('/'));
        assertThat(probeCertificate).isEqualTo(probeSecret + "/tls.crt");
        assertThat(secretKeyOf(Path.of(env.get("QUORUM_KEY")))).isEqualTo(probeSecret + "/tls.key");
        assertThat(secretKeyOf(tls.http().trustedCaFile())).as("the CA the node checks client certificates against")
                .isEqualTo(probeSecret + "/ca.crt");
    }

    @Test
    void onlyMembersReachTheRaftPortWhileAnyoneReachesTheHttpApi() {
        JsonNode policy = one("NetworkPolicy");
        assertThat(selects(at(policy, "spec/podSelector/matchLabels"))).isTrue();
        assertThat(texts(at(policy, "spec/policyTypes"))).contains("Ingress");
        int raftPort = containerPort(TextNode.valueOf("raft"));
        int httpPort = httpPort();
        List<Integer> opened = new ArrayList<>();
        for (JsonNode rule : at(policy, "spec/ingress")) {
            List<Integer> ports = new ArrayList<>();
            at(rule, "ports").forEach(p -> {
                assertThat(p.path("protocol").asText("TCP")).isEqualTo("TCP");
                ports.add(containerPort(at(p, "port")));
            });
            assertThat(ports).as("a rule without ports would open every port").isNotEmpty();
            opened.addAll(ports);
            if (ports.contains(raftPort)) {
                JsonNode from = at(rule, "from");
                assertThat(from).as("the Raft port's sources").isNotEmpty();
                from.forEach(peer -> {
                    assertThat(peer.has("namespaceSelector") || peer.has("ipBlock")).as("a source outside the members: %s", peer)
                            .isFalse();
                    assertThat(selects(at(peer, "podSelector/matchLabels"))).as("the source selects the members").isTrue();
                });
            } else {
                assertThat(rule.has("from")).as("the HTTP API is open to every client").isFalse();
            }
        }
        assertThat(opened).containsExactlyInAnyOrder(raftPort, httpPort);
    }

    @Test
    void podsAskPrometheusToScrapeMetricsOverHttps() {
        Map<String, String> annotations = map(at(pod, "metadata/annotations"));
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/scheme", "https")
                .containsEntry("prometheus.io/path", "/metrics")
                .containsEntry("prometheus.io/port", Integer.toString(httpPort()));
    }

    @Test
    void membersStartTogether() {
        // OrderedReady would wait for the first pod to be ready, which needs a leader, which needs a majority.
        assertThat(text(statefulSet, "spec/podManagementPolicy")).isEqualTo("Parallel");
        assertThat(selects(at(statefulSet, "spec/selector/matchLabels"))).isTrue();
    }

    @Test
    void theHeadlessServicePublishesMembersBeforeTheyAreReady() {
        JsonNode peers = objects.get("Service/" + text(statefulSet, "spec/serviceName"));
        assertThat(peers).as("the StatefulSet's serviceName names a Service").isNotNull();
        assertThat(text(peers, "spec/clusterIP")).isEqualTo("None");
        assertThat(at(peers, "spec/publishNotReadyAddresses").asBoolean()).isTrue();
        assertThat(selects(at(peers, "spec/selector"))).isTrue();
        List<Integer> targets = new ArrayList<>();
        at(peers, "spec/ports").forEach(p -> targets.add(containerPort(at(p, "targetPort"))));
        assertThat(targets).contains(ServerFlags.defaultPort("--raft-addr"));
    }

    @Test
    void aClientServiceServesTheHttpApiOfTheMembers() {
        List<JsonNode> clients = ofKind("Service").stream().filter(s -> !"None".equals(s.at("/spec/clusterIP").asText())).toList();
        assertThat(clients).hasSize(1);
        JsonNode client = clients.get(0);
        assertThat(selects(at(client, "spec/selector"))).isTrue();
        assertThat(at(client, "spec/ports")).hasSize(1);
        assertThat(containerPort(at(at(client, "spec/ports").get(0), "targetPort"))).isEqualTo(httpPort());
    }

    private int httpPort() {
        HostPort http = HostPort.parse(environment("quorum-0").get("QUORUM_HTTP_ADDR"));
        assertThat(http.host()).isEqualTo("0.0.0.0");
        assertThat(dockerfile.exposedPorts()).contains(http.port());
        return http.port();
    }

    @Test
    void requestsAndLimitsResources() {
        for (String bound : List.of("requests", "limits")) {
            assertThat(at(container, "resources/" + bound).has("memory")).as(bound + " memory").isTrue();
            assertThat(at(container, "resources/" + bound).has("cpu")).as(bound + " cpu").isTrue();
        }
    }

    @Test
    void dataSitsOnAVolumeClaimAtTheImagesVolume() {
        String volume = dockerfile.volumes().get(0);
        assertThat(environment("quorum-0").get("QUORUM_DATA_DIR")).isEqualTo(volume);
        String claim = text(at(statefulSet, "spec/volumeClaimTemplates").get(0), "metadata/name");
        List<String> mountedAtVolume = new ArrayList<>();
        at(container, "volumeMounts").forEach(m -> {
            if (text(m, "mountPath").equals(volume)) {
                mountedAtVolume.add(text(m, "name"));
            }
        });
        assertThat(mountedAtVolume).containsExactly(claim);
    }

    @Test
    void runsAsTheImagesNonRootUser() {
        List<String> users = dockerfile.runtime("USER");
        String uid = users.get(users.size() - 1).split(":")[0];
        assertThat(at(pod, "spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(text(pod, "spec/securityContext/runAsUser")).isEqualTo(uid);
    }

    @Test
    void aDisruptionBudgetLetsOneMemberGoAtATime() {
        JsonNode budget = one("PodDisruptionBudget");
        assertThat(at(budget, "spec/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(selects(at(budget, "spec/selector/matchLabels"))).isTrue();
    }
}
