package io.quorum.cli;

import io.quorum.client.ClientOptions;
import io.quorum.client.ClusterStatus;
import io.quorum.client.QuorumClient;
import io.quorum.client.QuorumException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code quorum status}: the cluster table of {@code GET /v1/cluster}. Only the leader knows each
 * member's match index, so when the first node to answer is not the leader, the other endpoints
 * are asked once each for the leader's view; without it the match and lag columns show "-".
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Prints the cluster: leader, term, commit and applied indexes, and per member its role, "
                + "addresses, match index and lag (commit index minus match index, known on the leader).",
        exitCodeListHeading = ClientCommand.EXIT_CODES_HEADING,
        exitCodeList = {"0:printed", "1:no endpoint answered, or an API error ('quorum: <code>: <message>')",
                "2:usage error"})
final class StatusCommand extends ClientCommand {

    @Override
    int run(QuorumClient client) {
        ClusterStatus status = leadersView(client, client.cluster());
        println(table(status));
        return OK;
    }

    private ClusterStatus leadersView(QuorumClient client, ClusterStatus first) {
        if (first.leader() == null || first.leader().equals(first.id())) {
            return first;
        }
        // The same TLS files as the first request: an https cluster asks every client for its certificate.
        ClientOptions once = endpointOptions.options().withMaxAttempts(1);
        for (URI endpoint : client.endpoints()) {
            try {
                ClusterStatus other = QuorumClient.of(List.of(endpoint), once).cluster();
                if (first.leader().equals(other.id())) {
                    return other;
                }
            } catch (QuorumException e) {
                // That endpoint is down; the first answer stands.
            }
        }
        return first;
    }

    static String table(ClusterStatus s) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "ROLE", "VOTER", "RAFT-ADDR", "HTTP-ADDR", "MATCH", "LAG"});
        for (ClusterStatus.Member m : s.members()) {
            rows.add(new String[] {m.id(), m.role(), m.voter() ? "yes" : "no", orDash(m.raftAddr()), orDash(m.httpAddr()),
                    m.matchIndex() == null ? "-" : Long.toString(m.matchIndex()),
                    m.matchIndex() == null ? "-" : Long.toString(Math.max(0, s.commitIndex() - m.matchIndex()))});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("leader ").append(orDash(s.leader())).append("  term ").append(s.term())
                .append("  commit ").append(s.commitIndex()).append("  applied ").append(s.appliedIndex())
                .append("  (as seen by ").append(s.id()).append(')').append(System.lineSeparator());
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            out.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return out.toString().stripTrailing();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
