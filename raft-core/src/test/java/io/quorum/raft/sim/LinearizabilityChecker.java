package io.quorum.raft.sim;

import java.time.Duration;
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
 * Checks that a history of register reads, writes and compare-and-sets is linearizable: that there
 * is one order of the operations, consistent with real time (an operation that completed before
 * another was invoked comes first), in which every read returns the latest write and every
 * compare-and-set found the version it expected. Each key is a separate register and is checked on
 * its own (linearizability is compositional). The search is Wing &amp; Gong's, with Lowe's
 * memoisation of (operations linearized, register value, version) states.
 *
 * <p>A write whose outcome is unknown may take effect at any time after its invocation, or never.
 * When no operation of the key reports or expects a version, such a write that no read ever returned
 * is dropped before the search: leaving it out can only make a history easier to linearize, and it
 * would multiply the states searched. With versions it stays, since it would move the version.
 *
 * <p>The search is bounded in states and in time; past either bound the verdict is
 * {@link Verdict#UNKNOWN}, which is not a pass.
 */
public final class LinearizabilityChecker {

    /** What the search concluded. */
    public enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, UNKNOWN }

    /** The outcome for one history: the verdict, and for a failure the key and operations that could not be ordered. */
    public record Result(Verdict verdict, String explanation) {

        /** True only for {@link Verdict#LINEARIZABLE}: an unknown outcome is no pass. */
        public boolean linearizable() {
            return verdict == Verdict.LINEARIZABLE;
        }
    }

    static final int MAX_STATES = 2_000_000;
    static final Duration TIME_LIMIT = Duration.ofMinutes(1);

    private LinearizabilityChecker() {
    }

    public static Result check(List<Operation> history) {
        return check(history, MAX_STATES, TIME_LIMIT);
    }

    /**
     * As {@link #check(List)}, giving up with {@link Verdict#UNKNOWN} after {@code maxStates}
     * states of one key or {@code timeLimit} in all.
     */
    public static Result check(List<Operation> history, int maxStates, Duration timeLimit) {
        long deadline = System.nanoTime() + timeLimit.toNanos();
        Map<String, List<Operation>> byKey = history.stream()
                .collect(Collectors.groupingBy(Operation::key, TreeMap::new, Collectors.toList()));
        Result unknown = null;
        for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
            Result r = checkRegister(e.getValue(), maxStates, deadline);
            if (r.verdict() == Verdict.NOT_LINEARIZABLE) {
                return new Result(r.verdict(), "key " + e.getKey() + ": " + r.explanation());
            }
            if (r.verdict() == Verdict.UNKNOWN && unknown == null) {
                unknown = new Result(r.verdict(), "key " + e.getKey() + ": " + r.explanation());
            }
        }
        return unknown != null ? unknown : new Result(Verdict.LINEARIZABLE, "linearizable");
    }

    private record State(BitSet done, String value, long version) {
    }

    static Result checkRegister(List<Operation> history) {
        return checkRegister(history, MAX_STATES, System.nanoTime() + TIME_LIMIT.toNanos());
    }

    private static Result checkRegister(List<Operation> history, int maxStates, long deadline) {
        Set<String> valuesRead = new HashSet<>();
        Set<String> valuesWritten = new HashSet<>();
        boolean versioned = false;
        for (Operation op : history) {
            (op.write() ? valuesWritten : valuesRead).add(op.value());
            versioned |= op.version() != Operation.ANY;
        }
        for (Operation op : history) {
            if (!op.write() && !op.value().equals(Operation.NONE) && !valuesWritten.contains(op.value())) {
                return new Result(Verdict.NOT_LINEARIZABLE, "read " + op + " returned a value nobody wrote");
            }
        }
        List<Operation> ops = new ArrayList<>();
        for (Operation op : history) {
            if (op.completed() || (op.write() && (versioned || valuesRead.contains(op.value())))) {
                ops.add(op);
            }
        }
        ops.sort(Comparator.comparingLong(Operation::invoke));
        int n = ops.size();
        int required = (int) ops.stream().filter(Operation::completed).count();
        Set<State> visited = new HashSet<>();
        List<State> stack = new ArrayList<>();
        stack.add(new State(new BitSet(n), Operation.NONE, 0));
        int deepest = 0;
        while (!stack.isEmpty()) {
            State state = stack.remove(stack.size() - 1);
            if (!visited.add(state)) {
                continue;
            }
            if (visited.size() > maxStates || ((visited.size() & 1023) == 1 && System.nanoTime() - deadline > 0)) {
                return new Result(Verdict.UNKNOWN, "search gave up after " + visited.size() + " states (" + n
                        + " operations)");
            }
            int completedDone = countCompleted(ops, state.done());
            deepest = Math.max(deepest, state.done().cardinality());
            if (completedDone == required) {
                return new Result(Verdict.LINEARIZABLE, "linearizable");
            }
            long horizon = Long.MAX_VALUE;
            for (int i = state.done().nextClearBit(0); i < n; i = state.done().nextClearBit(i + 1)) {
                horizon = Math.min(horizon, ops.get(i).complete());
            }
            for (int i = state.done().nextClearBit(0); i < n && ops.get(i).invoke() < horizon; i = state.done().nextClearBit(i + 1)) {
                Operation op = ops.get(i);
                State next = step(state, op, i);
                if (next != null) {
                    stack.add(next);
                }
            }
        }
        return new Result(Verdict.NOT_LINEARIZABLE, "no linearization of " + n + " operations; at most " + deepest
                + " could be ordered; " + describe(ops));
    }

    /** The state after {@code op} (index {@code i}) takes effect in {@code state}, or null when it cannot. */
    private static State step(State state, Operation op, int i) {
        boolean possible = switch (op.kind()) {
            case READ -> Objects.equals(op.value(), state.value())
                    && (op.version() == Operation.ANY || op.version() == state.version());
            case WRITE -> true;
            case CAS -> op.version() == state.version();
        };
        if (!possible) {
            return null;
        }
        BitSet next = (BitSet) state.done().clone();
        next.set(i);
        return op.write() ? new State(next, op.value(), state.version() + 1) : new State(next, state.value(), state.version());
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
