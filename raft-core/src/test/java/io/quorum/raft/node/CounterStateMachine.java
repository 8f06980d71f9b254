package io.quorum.raft.node;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A test state machine: a running sum of the 8-byte numbers it applies, and the order it applied
 * them in, so tests can compare replicas. The result of a command is the sum after it. The order
 * is part of the state (and of its snapshots), so a replica that caught up by snapshot can be
 * compared too. {@link #restores()} counts restores: one at start, one per snapshot installed
 * from the leader.
 */
final class CounterStateMachine implements StateMachine<Long> {

    private long sum;
    private List<Long> appliedValues = new ArrayList<>();
    private int restores;

    static byte[] command(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    @Override
    public synchronized Long apply(long index, long leaderTimeMillis, byte[] command) {
        long value = ByteBuffer.wrap(command).getLong();
        sum += value;
        appliedValues.add(value);
        return sum;
    }

    @Override
    public synchronized byte[] snapshot() {
        ByteBuffer buf = ByteBuffer.allocate(8 + 8 * appliedValues.size()).putLong(sum);
        appliedValues.forEach(buf::putLong);
        return buf.array();
    }

    @Override
    public synchronized void restore(byte[] snapshot) {
        restores++;
        appliedValues = new ArrayList<>();
        if (snapshot.length == 0) {
            sum = 0;
            return;
        }
        ByteBuffer buf = ByteBuffer.wrap(snapshot);
        sum = buf.getLong();
        while (buf.hasRemaining()) {
            appliedValues.add(buf.getLong());
        }
    }

    synchronized long sum() {
        return sum;
    }

    synchronized int size() {
        return appliedValues.size();
    }

    synchronized List<Long> values() {
        return new ArrayList<>(appliedValues);
    }

    synchronized int restores() {
        return restores;
    }
}
