package io.quorum.it.history;

import io.quorum.raft.sim.LinearizabilityChecker;
import io.quorum.raft.sim.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The register operations of a {@link History} (reads, writes, compare-and-sets), checked per key
 * for linearizability by {@link LinearizabilityChecker}. A write or compare-and-set with an unknown
 * outcome ({@code info}) may have taken effect at any time after its invocation, or never; one that
 * failed, and every read that did not answer, is left out. A verdict of unknown is a violation to
 * investigate, never a pass.
 */
public final class RegisterChecker {

    private RegisterChecker() {}

    /** The violations found: empty when linearizable. */
    public static List<String> check(List<HistoryOp> history, int maxStates, Duration timeLimit) {
        List<Operation> ops = new ArrayList<>();
        for (HistoryOp op : history) {
            Operation converted = convert(op);
            if (converted != null) {
                ops.add(converted);
            }
        }
        LinearizabilityChecker.Result result = LinearizabilityChecker.check(ops, maxStates, timeLimit);
        return switch (result.verdict()) {
            case LINEARIZABLE -> List.of();
            case NOT_LINEARIZABLE -> List.of("registers not linearizable: " + result.explanation());
            case UNKNOWN -> List.of("registers unknown (a violation to investigate, not a pass): " + result.explanation());
        };
    }

    public static List<String> check(List<HistoryOp> history) {
        return check(history, 2_000_000, Duration.ofSeconds(60));
    }

    private static Operation convert(HistoryOp op) {
        long complete = op.outcome() == HistoryOp.Outcome.info ? Operation.UNKNOWN : op.complete();
        return switch (op.op()) {
            case "read" -> op.ok() ? new Operation(op.id(), op.client(), op.key(), Operation.Kind.READ, op.value(),
                    op.version(), op.invoke(), complete) : null;
            case "write" -> op.outcome() == HistoryOp.Outcome.fail ? null : new Operation(op.id(), op.client(), op.key(),
                    Operation.Kind.WRITE, op.value(), Operation.ANY, op.invoke(), complete);
            case "cas" -> op.outcome() == HistoryOp.Outcome.fail ? null : new Operation(op.id(), op.client(), op.key(),
                    Operation.Kind.CAS, op.value(), op.version(), op.invoke(), complete);
            default -> null;
        };
    }
}
