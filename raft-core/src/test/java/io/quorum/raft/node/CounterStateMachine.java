package io.quorum.raft.node;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A test state machine: a running sum of the 8-byte numbers it applies, and the order it applied
 * them in, so tests can compare replicas. The result of a command is the sum after it.
 */
final class CounterStateMachine implements StateMachine<Long> {

    private long sum;
    private final List<Long> appliedIndexes = new ArrayList<>();
    private final List<Long> appliedValues = new ArrayList<>();

    static byte[] command(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    @Override
    public synchronized Long apply(long index, long leaderTimeMillis, byte[] command) {
        long value = ByteBuffer.wrap(command).getLong();
        sum += value;
        appliedIndexes.add(index);
        appliedValues.add(value);
        return sum;
    }

    @Override
    public synchronized byte[] snapshot() {
        return ByteBuffer.allocate(8).putLong(sum).array();
    }

    @Override
    public synchronized void restore(byte[] snapshot) {
        sum = snapshot.length == 0 ? 0 : ByteBuffer.wrap(snapshot).getLong();
        appliedIndexes.clear();
        appliedValues.clear();
    }

    synchronized long sum() {
        return sum;
    }

    synchronized List<Long> values() {
        return new ArrayList<>(appliedValues);
    }
}
