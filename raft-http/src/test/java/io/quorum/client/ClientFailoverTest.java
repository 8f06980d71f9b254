package io.quorum.client;

import io.quorum.http.TestCluster;
import io.quorum.raft.testing.Await;
import io.quorum.raft.testing.FreePorts;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static io.quorum.client.QuorumClientTest.catchQuorum;
import static org.assertj.core.api.Assertions.assertThat;


/**
 * Failover between endpoints: past a dead port and past a node that answers 503, but never a
 * silent second send of a write whose outcome is unknown.
 */
class ClientFailoverTest {

    private static final ClientOptions FAST = ClientOptions.DEFAULTS.withRequestTimeout(Duration.ofSeconds(5))
            .withMaxBackoff(Duration.ofMillis(200));

    @TempDir
    static Path data;
    static TestCluster healthy;

    @BeforeAll
    static void startNode() throws Exception {
        healthy = TestCluster.start(1, data.resolve("healthy"));
    }

    @AfterAll
    static void stopNode() {
        healthy.close();
    }

    private static QuorumClient clientOf(String... endpoints) {
        return QuorumClient.of(List.of(endpoints).stream().map(URI::create).toList(), FAST);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aDeadFirstEndpointIsSkippedAndTheWorkingOneRemembered() throws Exception {
        String dead = "http://127.0.0.1:" + FreePorts.next();
        QuorumClient client = clientOf(dead, healthy.endpoint(0));
        assertThat(client.put("f/dead", bytes("v")).version()).isEqualTo(1);
        assertThat(client.preferredEndpoint().toString()).isEqualTo(healthy.endpoint(0));
        assertThat(client.get("f/dead").orElseThrow().text()).isEqualTo("v");

        QuorumException nobody = catchQuorum(() -> clientOf(dead).get("f/dead"));
        assertThat(nobody.status()).isEqualTo(QuorumException.NO_ANSWER);
        assertThat(nobody.code()).isEqualTo("UNAVAILABLE");
        assertThat(nobody.notApplied()).isTrue();
    }

    @Test
    void aNodeAnswering503IsSkipped() throws Exception {
        try (TestCluster minority = TestCluster.start(3, data.resolve("minority"))) {
            int survivor = minority.aFollower();
            for (int i = 0; i < minority.size(); i++) {
                if (i != survivor) {
                    minority.stop(i);
                }
            }
            QuorumClient alone = QuorumClient.of(List.of(URI.create(minority.endpoint(survivor))),
                    ClientOptions.DEFAULTS.withMaxAttempts(1));
            Await.until("the survivor to know no leader", Duration.ofSeconds(20), () -> !alone.ready());
            QuorumException refused = catchQuorum(() -> alone.get("f/any"));
            assertThat(refused.status()).as(refused.getMessage()).isEqualTo(503);
            assertThat(refused.notApplied()).isTrue();
            assertThat(refused.retryAfter()).isNotNull();

            healthy.awaitLeader();
            QuorumClient client = clientOf(minority.endpoint(survivor), healthy.endpoint(0));
            assertThat(client.put("f/503", bytes("through the second")).version()).isPositive();
            assertThat(client.get("f/503").orElseThrow().text()).isEqualTo("through the second");
            assertThat(client.preferredEndpoint().toString()).isEqualTo(healthy.endpoint(0));
        }
    }

    @Test
    void aWriteWhoseConnectionDropsIsNotResentButAReadIs() throws Exception {
        try (SilentServer dropping = new SilentServer(SilentServer.Behaviour.DROP_AFTER_REQUEST)) {
            QuorumClient client = clientOf(dropping.endpoint(), healthy.endpoint(0));
            QuorumException unknown = catchQuorum(() -> client.put("f/dropped", bytes("v")));
            assertThat(unknown.outcomeUnknown()).isTrue();
            assertThat(unknown.status()).isEqualTo(QuorumException.NO_ANSWER);
            assertThat(clientOf(healthy.endpoint(0)).get("f/dropped")).as("the write was not sent to the second node")
                    .isEmpty();

            int before = dropping.requests();
            assertThat(clientOf(dropping.endpoint(), healthy.endpoint(0)).get("f/dropped")).isEmpty();
            assertThat(dropping.requests()).isGreaterThan(before);
        }
    }

    @Test
    void aWriteThatTimesOutIsAnUnknownOutcome() throws Exception {
        try (SilentServer hanging = new SilentServer(SilentServer.Behaviour.HOLD)) {
            QuorumClient client = QuorumClient.of(List.of(URI.create(hanging.endpoint()), URI.create(healthy.endpoint(0))),
                    FAST.withRequestTimeout(Duration.ofMillis(300)));
            QuorumException timeout = catchQuorum(() -> client.put("f/hung", bytes("v")));
            assertThat(timeout.code()).isEqualTo("TIMEOUT");
            assertThat(timeout.outcomeUnknown()).isTrue();
            assertThat(hanging.requests()).isEqualTo(1);
            assertThat(clientOf(healthy.endpoint(0)).get("f/hung")).isEmpty();

            assertThat(client.cluster().id()).as("a read moves on after the timeout").isEqualTo("n1");
        }
    }
}
