package io.quorum.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.client.ClusterStatus;
import io.quorum.it.nemesis.LinkRule;
import io.quorum.it.nemesis.Network;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TESTING.md scenario 10 on five real processes with a proxy on every peer link: partial
 * connectivity (a ring, where each node reaches only its two neighbours, and a bridge). A leader
 * that a majority follows must emerge and stay: once it has, terms stop climbing while the
 * registers stay linearizable.
 */
class FiveNodeFaultsIT {

    @RegisterExtension
    static final ProcessClusterExtension CLUSTER = new ProcessClusterExtension(5, true);

    private ProcessCluster cluster;
    private Network network;

    @BeforeEach
    void healed() {
        cluster = CLUSTER.cluster();
        cluster.heal();
        network = cluster.network();
    }

    @Test
    void partialConnectivity() {
        long seed = Long.getLong("fault.seed", System.nanoTime());
        System.out.println("fault-scenario partialConnectivity() seed " + seed);
        FaultRun run = new FaultRun("five-partial-connectivity", cluster, seed).registers(5, 8, 50);
        run.run((r, random) -> {
            List<String> order = new ArrayList<>(network.nodes());
            Collections.shuffle(order, new java.util.Random(random.nextLong()));
            if (random.nextBoolean()) {
                network.ring(LinkRule.BLACKHOLE, order);
                r.inject("ring " + order);
            } else {
                network.bridge(LinkRule.BLACKHOLE, java.util.Set.of(order.get(0), order.get(1)), order.get(2),
                        java.util.Set.of(order.get(3), order.get(4)));
                r.inject("bridge " + order.subList(0, 2) + " - " + order.get(2) + " - " + order.subList(3, 5));
            }
            r.awaitAcknowledged(20);
            OptionalLong before = maxTerm();
            r.awaitAcknowledged(30);
            OptionalLong after = maxTerm();
            if (before.isPresent() && after.isPresent() && after.getAsLong() != before.getAsLong()) {
                r.violation("terms still climb under " + network.faults().keySet() + " while a leader commits: "
                        + before.getAsLong() + " -> " + after.getAsLong());
            }
            network.heal();
            r.healed("links");
            cluster.leader();
        });
        assertThat(run.finish()).as("violations (the history is under target/fault-histories/)").isEmpty();
    }

    /** The highest term any node reports, when every node answers. */
    private OptionalLong maxTerm() {
        long max = 0;
        for (NodeProcess node : cluster.nodes()) {
            Optional<ClusterStatus> status = status(node);
            if (status.isEmpty()) {
                return OptionalLong.empty();
            }
            max = Math.max(max, status.get().term());
        }
        return OptionalLong.of(max);
    }

    private static Optional<ClusterStatus> status(NodeProcess node) {
        try {
            return Optional.of(ClientHistory.clientOf(List.of(node)).cluster());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
