package io.quorum.raft.scenario;

import io.quorum.raft.protocol.HardState;
import io.quorum.raft.protocol.Message;
import io.quorum.raft.protocol.Raft;
import io.quorum.raft.protocol.RaftStatus;
import io.quorum.raft.protocol.ReadState;
import io.quorum.raft.protocol.Ready;
import io.quorum.raft.sim.MessageText;

import java.util.TreeMap;

/** How transcripts print a Ready and a node's state. */
final class ReadyText {

    private ReadyText() {
    }

    static void ready(StringBuilder out, Raft raft, Ready ready) {
        out.append("> ").append(raft.id()).append(" ready\n");
        if (ready.roleChanged()) {
            out.append("  role ").append(raft.role()).append(" term=").append(raft.term())
                    .append(" leader=").append(raft.leader() == null ? "none" : raft.leader()).append('\n');
        }
        HardState hs = ready.hardState();
        if (hs != null) {
            out.append("  hardState term=").append(hs.term()).append(" vote=").append(hs.votedFor() == null ? "none" : hs.votedFor())
                    .append(" commit=").append(hs.commit()).append('\n');
        }
        if (ready.snapshot() != null) {
            out.append("  snapshot ").append(ready.snapshot().meta().term()).append('/').append(ready.snapshot().meta().index())
                    .append(' ').append(ready.snapshot().meta().membership()).append('\n');
        }
        if (!ready.entries().isEmpty()) {
            out.append("  persist ").append(MessageText.entries(ready.entries())).append('\n');
        }
        for (Message m : ready.earlyMessages()) {
            out.append("  early ").append(MessageText.message(m)).append('\n');
        }
        for (Message m : ready.messages()) {
            out.append("  send ").append(MessageText.message(m)).append('\n');
        }
        if (!ready.committedEntries().isEmpty()) {
            out.append("  apply ").append(MessageText.entries(ready.committedEntries())).append('\n');
        }
        for (ReadState rs : ready.readStates()) {
            out.append("  read-state req=").append(rs.requestId()).append(" index=").append(rs.index()).append('\n');
        }
    }

    static String state(Raft raft) {
        return raft.id() + ": " + raft.role() + " term=" + raft.term() + " leader=" + (raft.leader() == null ? "none" : raft.leader())
                + " commit=" + raft.commitIndex() + " last=" + raft.lastIndex();
    }

    static String status(Raft raft, long applied) {
        RaftStatus s = raft.status();
        return state(raft) + " applied=" + applied + " " + s.membership()
                + (s.matchIndex().isEmpty() ? "" : " match=" + new TreeMap<>(s.matchIndex()));
    }
}
