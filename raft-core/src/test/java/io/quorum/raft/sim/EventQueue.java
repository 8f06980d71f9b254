package io.quorum.raft.sim;

import java.util.PriorityQueue;

/**
 * The simulation's only clock: actions ordered by simulated time, ties broken by the order they were
 * scheduled, so a run is a pure function of its seed.
 */
public final class EventQueue {

    private record Event(long time, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private long now;
    private long seq;

    public long now() {
        return now;
    }

    /** Runs {@code action} {@code delay} time units from now (0: after everything already due now). */
    public void after(long delay, Runnable action) {
        if (delay < 0) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        events.add(new Event(now + delay, seq++, action));
    }

    /** Runs the next due action; false when nothing is scheduled at or before {@code until}. */
    public boolean runNext(long until) {
        Event next = events.peek();
        if (next == null || next.time > until) {
            now = Math.max(now, until);
            return false;
        }
        events.poll();
        now = next.time;
        next.action.run();
        return true;
    }
}
