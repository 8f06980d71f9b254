package io.quorum.raft.sim;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks that a history of register reads and writes is linearizable: that there is one order of
 * the operations, consistent with real time (an operation that completed before another was
 * invoked comes first), in which every read returns the latest write. Each key is a separate
 * register and is checked on its own (linearizability is compositional). The search is
 * Wing &amp; Gong's, with Lowe's memoisation of (operations linearized, register value) states.
 *
 * <p>A write whose outcome is unknown may take effect at any time after its invocation, or never.
 * Such a write that no read ever returned is dropped before the search: leaving it out can only
 * make a history easier to linearize, and it would multiply the states searched.
 */
public final class LinearizabilityChecker {

    /** The outcome for one history: linearizable, or the key and operations that could not be ordered. */
    public record Result(boolean linearizable, String explanation) {
    }

    private static final int MAX_STATES = 2_000_000;

    private LinearizabilityChecker() {
    }

    public static Result check(List<Operation> history) {
        Map<String, List<Operation>> byKey = history.stream()
                .collect(Collectors.groupingBy(Operation::key, TreeMap::new, Collectors.toList()));
        for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
            Result r = checkRegister(e.getValue());
            if (!r.linearizable()) {
                return new Result(false, "key " + e.getKey() + ": " + r.explanation());
            }
        }
        return new Result(true, "linearizable");
    }

    private record State(BitSet done, String value) {
    }

    static Result checkRegister(List<Operation> history) {
        Set<String> valuesRead = new HashSet<>();
        Set<String> valuesWritten = new HashSet<>();
        for (Operation op : history) {
            (op.write() ? valuesWritten : valuesRead).add(op.value());
        }
        for (Operation op : history) {
            if (!op.write() && !op.value().equals(Operation.NONE) && !valuesWritten.contains(op.value())) {
                return new Result(false, "read " + op + " returned a value nobody wrote");
            }
        }
        List<Operation> ops = new ArrayList<>();
        for (Operation op : history) {
            if (op.completed() || (op.write() && valuesRead.contains(op.value()))) {
                ops.add(op);
            }
        }
        ops.sort(Comparator.comparingLong(Operation::invoke));
        int n = ops.size();
        int required = (int) ops.stream().filter(Operation::completed).count();
        Set<State> visited = new HashSet<>();
        List<State> stack = new ArrayList<>();
        stack.add(new State(new BitSet(n), Operation.NONE));
        int deepest = 0;
        while (!stack.isEmpty()) {
            State state = stack.remove(stack.size() - 1);
            if (!visited.add(state)) {
                continue;
            }
            if (visited.size() > MAX_STATES) {
                return new Result(false, "search gave up after " + MAX_STATES + " states (" + n + " operations)");
            }
            int completedDone = countCompleted(ops, state.done());
            deepest = Math.max(deepest, state.done().cardinality());
            if (completedDone == required) {
                return new Result(true, "linearizable");
            }
            long horizon = Long.MAX_VALUE;
            for (int i = state.done().nextClearBit(0); i < n; i = state.done().nextClearBit(i + 1)) {
                horizon = Math.min(horizon, ops.get(i).complete());
            }
            for (int i = state.done().nextClearBit(0); i < n && ops.get(i).invoke() < horizon; i = state.done().nextClearBit(i + 1)) {
                Operation op = ops.get(i);
                if (!op.write() && !Objects.equals(op.value(), state.value())) {
                    continue;
                }
                BitSet next = (BitSet) state.done().clone();
                next.set(i);
                stack.add(new State(next, op.write() ? op.value() : state.value()));
            }
        }
        return new Result(false, "no linearization of " + n + " operations; at most " + deepest + " could be ordered; "
                + describe(ops));
    }

    private static int countCompleted(List<Operation> ops, BitSet done) {
        int c = 0;
        for (int i = done.nextSetBit(0); i >= 0; i = done.nextSetBit(i + 1)) {
            if (ops.get(i).completed()) {
                c++;
            }
        }
        return c;
    }

    private static String describe(List<Operation> ops) {
        if (ops.size() > 40) {
            return ops.subList(0, 40) + " ...";
        }
        return ops.toString();
    }
}
