package io.quorum.raft.protocol;

import io.quorum.raft.protocol.Message.AppendEntries;
import io.quorum.raft.protocol.Message.AppendResponse;
import io.quorum.raft.protocol.Message.Heartbeat;
import io.quorum.raft.protocol.Message.InstallSnapshot;
import io.quorum.raft.protocol.Message.InstallSnapshotResponse;
import io.quorum.raft.protocol.Message.ReadIndexResponse;
import io.quorum.raft.protocol.Message.VoteRequest;
import java.util.List;

/**
 * What a message must look like before {@link Raft#step} acts on it: both ids present, a term a
 * node can hold, and numbers that can describe a real log. A message that fails is ignored whole;
 * the shell counts it (the transport's frame checks call {@link #problem}), the protocol simply
 * never sees it.
 *
 * <p>None of this is about trust between members: a member that sends a well-formed lie is beyond
 * what a crash-fault protocol defends against, and mutual TLS ties each connection to one member.
 * It is about one frame, forged or corrupted, doing lasting harm: a term of 2^63−1 would leave
 * every node that adopts it unable to campaign again ({@code term + 1} overflows), and entries
 * whose indexes do not follow {@code prevLogIndex} would break the follower's log arithmetic.
 *
 * <p>Pure and stateless: it looks at the message alone, never at the receiver's log or term.
 */
public final class MessageCheck {

    /**
     * The highest term a message may carry. Elections raise the term by one per election timeout,
     * so no cluster reaches 2^62 (it would take longer than the age of the universe), and a node
     * that adopted it could still campaign 2^62 more times before {@code term + 1} overflowed.
     */
    public static final long MAX_TERM = 1L << 62;

    /** Why a message is refused. */
    public enum Problem {
        /** {@code from} or {@code to} is null or empty. */
        MISSING_ID,
        /** The term is negative or above {@link #MAX_TERM}. */
        TERM_OUT_OF_RANGE,
        /** A number that no log can have: a negative index, entries that do not follow on, a term from the future. */
        INVALID
    }

    /** A refusal and, for the log, what exactly was wrong. */
    public record Violation(Problem problem, String detail) {
    }

    private MessageCheck() {
    }

    /** Null when {@code m} may be stepped; otherwise what is wrong with it. */
    public static Violation problem(Message m) {
        if (isBlank(m.from()) || isBlank(m.to())) {
            return new Violation(Problem.MISSING_ID, "a message without a sender or receiver id");
        }
        if (!validTerm(m.term())) {
            return new Violation(Problem.TERM_OUT_OF_RANGE, "term " + m.term() + " outside [0, " + MAX_TERM + "]");
        }
        String invalid = invalidField(m);
        return invalid == null ? null : new Violation(Problem.INVALID, invalid);
    }

    /** Whether {@code term} is one a node may adopt. */
    public static boolean validTerm(long term) {
        return term >= 0 && term <= MAX_TERM;
    }

    private static boolean isBlank(String id) {
        return id == null || id.isEmpty();
    }

    private static String invalidField(Message m) {
        if (m instanceof VoteRequest v) {
            return firstOf(index("lastLogIndex", v.lastLogIndex()), termUpTo("lastLogTerm", v.lastLogTerm(), v.term()));
        } else if (m instanceof AppendEntries a) {
            return firstOf(index("prevLogIndex", a.prevLogIndex()), termUpTo("prevLogTerm", a.prevLogTerm(), a.term()),
                    index("leaderCommit", a.leaderCommit()), entries(a));
        } else if (m instanceof AppendResponse a) {
            return firstOf(index("matchIndex", a.matchIndex()), index("rejectedIndex", a.rejectedIndex()),
                    index("hintIndex", a.hintIndex()), termUpTo("hintTerm", a.hintTerm(), MAX_TERM));
        } else if (m instanceof Heartbeat h) {
            return index("commit", h.commit());
        } else if (m instanceof InstallSnapshot s) {
            return snapshotChunk(s);
        } else if (m instanceof InstallSnapshotResponse s) {
            return firstOf(index("snapshotIndex", s.snapshotIndex()), index("nextOffset", s.nextOffset()));
        } else if (m instanceof ReadIndexResponse r) {
            return index("readIndex", r.readIndex());
        }
        return null;
    }

    /**
     * §5.3: the entries follow {@code prevLogIndex} one by one, and their terms never decrease and
     * never pass the leader's own; the follower's append relies on both.
     */
    private static String entries(AppendEntries a) {
        List<Entry> entries = a.entries();
        long previousTerm = a.prevLogTerm();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.index() != a.prevLogIndex() + 1 + i) {
                return "entry " + i + " has index " + e.index() + ", not " + (a.prevLogIndex() + 1 + i);
            }
            if (e.term() < previousTerm || e.term() > a.term()) {
                return "entry " + e.index() + " has term " + e.term() + " outside [" + previousTerm + ", " + a.term() + "]";
            }
            previousTerm = e.term();
        }
        return null;
    }

    private static String snapshotChunk(InstallSnapshot s) {
        SnapshotMeta meta = s.meta();
        if (meta.index() < 1 || meta.term() < 1 || meta.term() > s.term()) {
            return "snapshot " + meta.index() + "/" + meta.term() + " cannot come from a leader of term " + s.term();
        }
        long chunk = s.chunk() == null ? -1 : s.chunk().length;
        if (chunk < 0 || s.offset() < 0 || s.offset() > meta.sizeBytes() - chunk) {
            return "chunk of " + chunk + " bytes at offset " + s.offset() + " outside a snapshot of " + meta.sizeBytes();
        }
        return null;
    }

    private static String index(String field, long value) {
        return value >= 0 ? null : field + " " + value + " is negative";
    }

    private static String termUpTo(String field, long value, long bound) {
        return value >= 0 && value <= bound ? null : field + " " + value + " outside [0, " + bound + "]";
    }

    private static String firstOf(String... problems) {
        for (String problem : problems) {
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }
}
