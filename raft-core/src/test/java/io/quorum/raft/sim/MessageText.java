package io.quorum.raft.sim;

import io.quorum.raft.protocol.ConfChange;
import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.EntryType;
import io.quorum.raft.protocol.Message;
import io.quorum.raft.protocol.Message.AppendEntries;
import io.quorum.raft.protocol.Message.AppendResponse;
import io.quorum.raft.protocol.Message.Heartbeat;
import io.quorum.raft.protocol.Message.HeartbeatResponse;
import io.quorum.raft.protocol.Message.InstallSnapshot;
import io.quorum.raft.protocol.Message.InstallSnapshotResponse;
import io.quorum.raft.protocol.Message.ReadIndexRequest;
import io.quorum.raft.protocol.Message.ReadIndexResponse;
import io.quorum.raft.protocol.Message.TimeoutNow;
import io.quorum.raft.protocol.Message.VoteRequest;
import io.quorum.raft.protocol.Message.VoteResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Compact one-line text for messages and entries, as scenario transcripts and simulation traces
 * print them. Positions in the log are written {@code term/index}, as etcd-io/raft's testdata does.
 */
public final class MessageText {

    private MessageText() {
    }

    public static String entry(Entry e) {
        String head = e.term() + "/" + e.index() + " ";
        if (e.type() == EntryType.NOOP) {
            return head + "NOOP";
        }
        if (e.type() == EntryType.CONFIG_CHANGE) {
            ConfChange change = ConfChange.decode(e.data());
            return head + "CONF " + change.type() + " " + change.nodeId();
        }
        return head + "NORMAL \"" + new String(e.data(), StandardCharsets.UTF_8) + "\"";
    }

    public static String entries(List<Entry> entries) {
        return entries.stream().map(MessageText::entry).collect(Collectors.joining(", ", "[", "]"));
    }

    public static String message(Message m) {
        return m.from() + "->" + m.to() + " " + body(m);
    }

    private static String body(Message m) {
        String term = " term=" + m.term();
        if (m instanceof VoteRequest v) {
            return (v.preVote() ? "PreVoteRequest" : "VoteRequest") + term + " last=" + v.lastLogTerm() + "/" + v.lastLogIndex()
                    + (v.leadershipTransfer() ? " transfer" : "");
        }
        if (m instanceof VoteResponse v) {
            return (v.preVote() ? "PreVoteResponse" : "VoteResponse") + term + (v.granted() ? " granted" : " rejected");
        }
        if (m instanceof AppendEntries a) {
            return "AppendEntries" + term + " prev=" + a.prevLogTerm() + "/" + a.prevLogIndex()
                    + (a.entries().isEmpty() ? "" : " entries=" + entries(a.entries())) + " commit=" + a.leaderCommit();
        }
        if (m instanceof AppendResponse a) {
            return "AppendResponse" + term + (a.success()
                    ? " ok match=" + a.matchIndex()
                    : " rejected index=" + a.rejectedIndex() + " hint=" + a.hintTerm() + "/" + a.hintIndex());
        }
        if (m instanceof Heartbeat h) {
            return "Heartbeat" + term + " commit=" + h.commit() + (h.readContext() == 0 ? "" : " ctx=" + h.readContext());
        }
        if (m instanceof HeartbeatResponse h) {
            return "HeartbeatResponse" + term + (h.readContext() == 0 ? "" : " ctx=" + h.readContext());
        }
        if (m instanceof InstallSnapshot s) {
            return "InstallSnapshot" + term + " snap=" + s.meta().term() + "/" + s.meta().index() + " " + s.meta().membership()
                    + " offset=" + s.offset() + " len=" + s.chunk().length + (s.last() ? " last" : "");
        }
        if (m instanceof InstallSnapshotResponse s) {
            return "InstallSnapshotResponse" + term + " snap=" + s.snapshotIndex() + " next=" + s.nextOffset()
                    + (s.installed() ? " installed" : "");
        }
        if (m instanceof TimeoutNow) {
            return "TimeoutNow" + term;
        }
        if (m instanceof ReadIndexRequest r) {
            return "ReadIndexRequest" + term + " req=" + r.requestId();
        }
        if (m instanceof ReadIndexResponse r) {
            return "ReadIndexResponse" + term + " req=" + r.requestId() + " index=" + r.readIndex()
                    + (r.accepted() ? " accepted" : " rejected");
        }
        return m.toString();
    }
}
