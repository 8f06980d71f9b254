package io.quorum.it;

import io.quorum.client.ClientOptions;
import io.quorum.client.QuorumClient;
import io.quorum.client.QuorumException;
import io.quorum.it.history.HistoryOp;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the fault scenarios' clients share: a client of every node, and how a failure maps to an outcome. */
final class ClientHistory {

    /**
     * Short timeouts and few attempts: under a fault a client should learn "unknown" soon and move on
     * rather than wait out a partition.
     */
    static final ClientOptions OPTIONS = new ClientOptions(Duration.ofSeconds(1), Duration.ofSeconds(4), 3,
            Duration.ofMillis(200), null);

    private ClientHistory() {}

    static QuorumClient clientOf(List<NodeProcess> nodes) {
        return QuorumClient.of(nodes.stream().map(n -> URI.create("http://127.0.0.1:" + n.httpPort())).toList(), OPTIONS);
    }

    /** One client per node, each trying that node first and the others after it. */
    static List<QuorumClient> clientPerNode(List<NodeProcess> nodes) {
        List<QuorumClient> clients = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            List<NodeProcess> rotated = new ArrayList<>(nodes.subList(i, nodes.size()));
            rotated.addAll(nodes.subList(0, i));
            clients.add(clientOf(rotated));
        }
        return clients;
    }

    /** {@code fail} when the request is known not to have taken effect, else {@code info}. */
    static HistoryOp.Outcome outcomeOf(RuntimeException e) {
        return e instanceof QuorumException q && q.notApplied() ? HistoryOp.Outcome.fail : HistoryOp.Outcome.info;
    }

    static String describe(RuntimeException e) {
        if (e instanceof QuorumException q) {
            return q.status() + " " + q.code();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
