package io.quorum.raft.protocol;

import java.util.List;

/**
 * Everything the protocol asks its shell to do. The shell carries a Ready out in this order and
 * then calls {@link Raft#advance(Ready)}:
 * <ol>
 *   <li>send {@link #earlyMessages} — the leader's appends and heartbeats, whose safety does not
 *       depend on the leader's own disk (thesis §10.2.1: the leader writes in parallel);</li>
 *   <li>make {@link #snapshot}, {@link #entries} (overwriting any conflicting suffix) and
 *       {@link #hardState} durable;</li>
 *   <li>only then send {@link #messages} — votes and acknowledgements promise durable state;</li>
 *   <li>install {@link #snapshot} into the state machine, then apply {@link #committedEntries} in
 *       order; serve each {@link ReadState} once its index is applied.</li>
 * </ol>
 * Two relaxations are safe and a shell may take them: committed entries that were already durable
 * locally before this Ready (none of them in {@link #entries}, no {@link #snapshot}) may be applied
 * while step 2 runs, since being committed they are durable on a majority; and a {@link #hardState}
 * that differs from the durable one only in its commit index need not be durable before step 3,
 * since commitIndex is volatile state (Figure 2) and no message promises it. Term and vote always
 * must.
 *
 * @param hardState        null when unchanged since the last Ready
 * @param snapshot         null, or a snapshot received from the leader that replaces the log
 * @param roleChanged      whether the role or the known leader changed since the last Ready
 */
public record Ready(
        HardState hardState,
        List<Entry> entries,
        Snapshot snapshot,
        List<Entry> committedEntries,
        List<Message> earlyMessages,
        List<Message> messages,
        List<ReadState> readStates,
        boolean roleChanged) {

    public Ready {
        entries = List.copyOf(entries);
        committedEntries = List.copyOf(committedEntries);
        earlyMessages = List.copyOf(earlyMessages);
        messages = List.copyOf(messages);
        readStates = List.copyOf(readStates);
    }

    public boolean isEmpty() {
        return hardState == null && snapshot == null && entries.isEmpty() && committedEntries.isEmpty()
                && earlyMessages.isEmpty() && messages.isEmpty() && readStates.isEmpty() && !roleChanged;
    }
}
