package io.quorum.raft.transport;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.EntryType;
import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.Message;
import io.quorum.raft.protocol.SnapshotMeta;
import io.quorum.raft.transport.PeerMessage.AdminResult;
import io.quorum.raft.transport.PeerMessage.ForwardAdmin;
import io.quorum.raft.transport.PeerMessage.ForwardProposal;
import io.quorum.raft.transport.PeerMessage.ForwardResult;
import io.quorum.raft.transport.PeerMessage.RaftFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * Seeded random {@link PeerMessage}s of every kind, for property tests: strings from the whole of
 * Unicode (outside surrogates), empty and large payloads, extreme longs, memberships with learners
 * and addresses. The same random generator gives the same messages.
 */
final class MessageGenerator {

    /** How many kinds {@link #message(int)} knows: the eleven protocol messages, two forwards, two admin messages. */
    static final int KINDS = 15;

    private final RandomGenerator random;

    MessageGenerator(RandomGenerator random) {
        this.random = random;
    }

    PeerMessage any() {
        return message(random.nextInt(KINDS));
    }

    /** A message of kind {@code kind} in [0, KINDS). */
    PeerMessage message(int kind) {
        String from = id();
        String to = id();
        long term = someLong();
        return switch (kind) {
            case 0 -> raft(new Message.VoteRequest(from, to, term, someLong(), someLong(), random.nextBoolean(),
                    random.nextBoolean()));
            case 1 -> raft(new Message.VoteResponse(from, to, term, random.nextBoolean(), random.nextBoolean()));
            case 2 -> raft(new Message.AppendEntries(from, to, term, someLong(), someLong(), entries(), someLong()));
            case 3 -> raft(new Message.AppendResponse(from, to, term, random.nextBoolean(), someLong(), someLong(),
                    someLong(), someLong()));
            case 4 -> raft(new Message.Heartbeat(from, to, term, someLong(), someLong()));
            case 5 -> raft(new Message.HeartbeatResponse(from, to, term, someLong()));
            case 6 -> raft(new Message.InstallSnapshot(from, to, term, snapshotMeta(), someLong(), bytes(512),
                    random.nextBoolean()));
            case 7 -> raft(new Message.InstallSnapshotResponse(from, to, term, someLong(), someLong(),
                    random.nextBoolean()));
            case 8 -> raft(new Message.TimeoutNow(from, to, term));
            case 9 -> raft(new Message.ReadIndexRequest(from, to, term, someLong()));
            case 10 -> raft(new Message.ReadIndexResponse(from, to, term, someLong(), someLong(), random.nextBoolean()));
            case 11 -> new ForwardProposal(from, to, someLong(), bytes(1024));
            case 12 -> forwardResult(from, to);
            case 13 -> new ForwardAdmin(from, to, someLong(), AdminOp.values()[random.nextInt(AdminOp.values().length)],
                    id(), random.nextBoolean() ? "" : id() + ":" + random.nextInt(65536));
            case 14 -> new AdminResult(from, to, someLong(), AdminStatus.values()[random.nextInt(AdminStatus.values().length)],
                    someLong(), random.nextInt(4) == 0 ? null : id(), random.nextBoolean() ? "" : id());
            default -> throw new IllegalArgumentException("kind " + kind);
        };
    }

    private static PeerMessage raft(Message m) {
        return new RaftFrame(m);
    }

    private ForwardResult forwardResult(String from, String to) {
        ForwardStatus[] statuses = ForwardStatus.values();
        ForwardStatus status = statuses[random.nextInt(statuses.length)];
        String hint = random.nextInt(4) == 0 ? null : id();
        return new ForwardResult(from, to, someLong(), someLong(), someLong(), status.code(), hint);
    }

    /** Small values most of the time (real indexes and terms), the full range sometimes. */
    long someLong() {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextLong();
            case 2 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
            default -> random.nextLong(1, 1_000_000);
        };
    }

    private long nonNegative() {
        return random.nextBoolean() ? random.nextLong(0, 1_000_000) : random.nextLong(0, Long.MAX_VALUE);
    }

    /** Node ids: usually short ASCII, sometimes empty or any Unicode text. */
    String id() {
        return switch (random.nextInt(6)) {
            case 0 -> "";
            case 1 -> text(40);
            default -> "n" + random.nextInt(100);
        };
    }

    String text(int maxCodePoints) {
        int n = random.nextInt(maxCodePoints + 1);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int codePoint = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x80);
                case 1 -> random.nextInt(0x80, 0xD800);
                case 2 -> random.nextInt(0xE000, 0x10000);
                default -> random.nextInt(0x10000, 0x110000);
            };
            s.appendCodePoint(codePoint);
        }
        return s.toString();
    }

    byte[] bytes(int max) {
        byte[] b = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(max + 1)];
        random.nextBytes(b);
        return b;
    }

    private List<Entry> entries() {
        int n = random.nextInt(4) == 0 ? 0 : random.nextInt(1, 9);
        List<Entry> entries = new ArrayList<>();
        EntryType[] types = EntryType.values();
        long index = random.nextLong(1, 1_000_000);
        long term = random.nextLong(1, 1_000);
        for (int i = 0; i < n; i++) {
            entries.add(new Entry(term, index + i, types[random.nextInt(types.length)], bytes(64)));
        }
        return entries;
    }

    private SnapshotMeta snapshotMeta() {
        return new SnapshotMeta(nonNegative(), nonNegative(), membership(), nonNegative());
    }

    Membership membership() {
        TreeSet<String> voters = new TreeSet<>();
        TreeSet<String> learners = new TreeSet<>();
        TreeMap<String, String> addresses = new TreeMap<>();
        int n = random.nextInt(8);
        for (int i = 0; i < n; i++) {
            String member = random.nextBoolean() ? "n" + random.nextInt(20) : text(12);
            if (random.nextInt(3) == 0) {
                if (!voters.contains(member)) {
                    learners.add(member);
                }
            } else if (!learners.contains(member)) {
                voters.add(member);
            }
            if (random.nextBoolean()) {
                addresses.put(member, "10.0.0." + random.nextInt(256) + ":" + random.nextInt(1, 65536));
            }
        }
        return new Membership(voters, learners, addresses);
    }
}
