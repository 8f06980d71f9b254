package io.quorum.raft.transport;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.EntryType;
import io.quorum.raft.protocol.Membership;
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
import io.quorum.raft.protocol.SnapshotMeta;
import io.quorum.raft.transport.PeerMessage.AdminResult;
import io.quorum.raft.transport.PeerMessage.ForwardAdmin;
import io.quorum.raft.transport.PeerMessage.ForwardProposal;
import io.quorum.raft.transport.PeerMessage.ForwardResult;
import io.quorum.raft.transport.PeerMessage.RaftFrame;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire format of {@link PeerMessage}s, written by hand: no reflection, no Java serialization,
 * so the format is exactly what this comment says and a hostile peer reaches no code but this.
 *
 * <h2>Frame</h2>
 * <pre>
 *   int32  length    bytes that follow this field: 2 + payload length; 2 ≤ length ≤ maxFrameBytes - 4
 *   byte   version   1
 *   byte   type      see the TYPE_ constants; codes are never reused
 *   ...    payload   the type's fields in declaration order
 * </pre>
 * All integers are big-endian. A {@code string} is an int32 byte length (-1 for null) and that
 * many bytes of strict UTF-8. {@code bytes} is an int32 length and the bytes. A {@code bool} is
 * one byte, 0 or 1; any other value is malformed. Each payload must end exactly at the frame's
 * end: trailing bytes are malformed rather than ignored, so that a field added in a later
 * version comes with a new version byte instead of being silently dropped.
 *
 * <h2>Payloads</h2>
 * Every protocol message opens with {@code string from, string to, long term}; then
 * <pre>
 *   VoteRequest       long lastLogIndex, long lastLogTerm, bool preVote, bool leadershipTransfer
 *   VoteResponse      bool granted, bool preVote
 *   AppendEntries     long prevLogIndex, long prevLogTerm, long leaderCommit, int32 count,
 *                     count × (long term, long index, byte entryType, bytes data)
 *   AppendResponse    bool success, long matchIndex, long rejectedIndex, long hintIndex, long hintTerm
 *   Heartbeat         long commit, long readContext
 *   HeartbeatResponse long readContext
 *   InstallSnapshot   long meta.index, long meta.term, long meta.sizeBytes,
 *                     bytes membership (as {@link Membership#writeTo}), long offset, bytes chunk, bool last
 *   InstallSnapshotResponse long snapshotIndex, long nextOffset, bool installed
 *   TimeoutNow        (nothing more)
 *   ReadIndexRequest  long requestId
 *   ReadIndexResponse long requestId, long readIndex, bool accepted
 * </pre>
 * and the forwarding messages
 * <pre>
 *   ForwardProposal   string from, string to, long requestId, bytes command
 *   ForwardResult     string from, string to, long requestId, long index, long term, byte status,
 *                     string leaderHint
 *   ForwardAdmin      string from, string to, long requestId, byte op, string memberId, string address
 *   AdminResult       string from, string to, long requestId, byte status, long value, string leaderHint,
 *                     string message
 * </pre>
 * The membership keeps the encoding the protocol already defines for it, so a configuration has
 * one byte form on disk and on the wire.
 *
 * <p>Thread-safe: the codec holds only its limit.
 */
public final class PeerCodec {

    public static final byte VERSION = 1;
    /** Bytes before the payload: length, version, type. */
    public static final int HEADER_BYTES = 4 + 1 + 1;
    /** The default bound on a whole frame, length field included. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 << 20;

    static final byte TYPE_VOTE_REQUEST = 1;
    static final byte TYPE_VOTE_RESPONSE = 2;
    static final byte TYPE_APPEND_ENTRIES = 3;
    static final byte TYPE_APPEND_RESPONSE = 4;
    static final byte TYPE_HEARTBEAT = 5;
    static final byte TYPE_HEARTBEAT_RESPONSE = 6;
    static final byte TYPE_INSTALL_SNAPSHOT = 7;
    static final byte TYPE_INSTALL_SNAPSHOT_RESPONSE = 8;
    static final byte TYPE_TIMEOUT_NOW = 9;
    static final byte TYPE_READ_INDEX_REQUEST = 10;
    static final byte TYPE_READ_INDEX_RESPONSE = 11;
    static final byte TYPE_FORWARD_PROPOSAL = 32;
    static final byte TYPE_FORWARD_RESULT = 33;
    static final byte TYPE_FORWARD_ADMIN = 34;
    static final byte TYPE_ADMIN_RESULT = 35;

    private final int maxFrameBytes;

    public PeerCodec() {
        this(DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * @param maxFrameBytes the largest whole frame (length field included) this codec writes or
     *                      reads; bounds what one peer can make this node buffer
     */
    public PeerCodec(int maxFrameBytes) {
        if (maxFrameBytes < HEADER_BYTES || maxFrameBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxFrameBytes out of range: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * Checks a frame's length field (the int32 at its start), as the stream parser does before
     * buffering the rest of the frame.
     *
     * @throws CodecException when no frame of this codec can have that length
     */
    void checkLengthField(int length) {
        if (length < 2 || length > maxFrameBytes - 4) {
            throw new CodecException("frame length " + length + " outside [2, " + (maxFrameBytes - 4) + "]");
        }
    }

    /**
     * The whole frame of {@code message}, length field included.
     *
     * @throws CodecException when the frame would exceed the maximum size, a byte array field is
     *                        null or a membership string is too long for its encoding; nothing else
     */
    public Buffer encode(PeerMessage message) {
        Buffer out = Buffer.buffer(estimateSize(message));
        out.appendInt(0).appendByte(VERSION);
        if (message instanceof RaftFrame frame) {
            encodeRaft(frame.message(), out);
        } else if (message instanceof ForwardProposal p) {
            out.appendByte(TYPE_FORWARD_PROPOSAL);
            string(out, p.from());
            string(out, p.to());
            out.appendLong(p.requestId());
            bytes(out, p.command());
        } else if (message instanceof ForwardResult r) {
            out.appendByte(TYPE_FORWARD_RESULT);
            string(out, r.from());
            string(out, r.to());
            out.appendLong(r.requestId()).appendLong(r.index()).appendLong(r.term()).appendByte(r.status());
            string(out, r.leaderHint());
        } else if (message instanceof ForwardAdmin a) {
            out.appendByte(TYPE_FORWARD_ADMIN);
            string(out, a.from());
            string(out, a.to());
            out.appendLong(a.requestId()).appendByte(a.op().code());
            string(out, a.memberId());
            string(out, a.address());
        } else if (message instanceof AdminResult r) {
            out.appendByte(TYPE_ADMIN_RESULT);
            string(out, r.from());
            string(out, r.to());
            out.appendLong(r.requestId()).appendByte(r.status().code()).appendLong(r.value());
            string(out, r.leaderHint());
            string(out, r.message());
        } else {
            throw new CodecException("no encoding for " + message);
        }
        if (out.length() > maxFrameBytes) {
            throw new CodecException("frame of " + out.length() + " bytes exceeds the maximum " + maxFrameBytes);
        }
        out.setInt(0, out.length() - 4);
        return out;
    }

    /**
     * The message in one whole frame, length field included.
     *
     * @throws CodecException for anything but exactly one well-formed frame
     */
    public PeerMessage decode(byte[] frame) {
        return decode(Buffer.buffer(frame));
    }

    /** As {@link #decode(byte[])}. */
    public PeerMessage decode(Buffer frame) {
        if (frame.length() < HEADER_BYTES) {
            throw new CodecException("frame of " + frame.length() + " bytes is shorter than its header");
        }
        int length = frame.getInt(0);
        checkLengthField(length);
        if (length != frame.length() - 4) {
            throw new CodecException("length field " + length + " but " + (frame.length() - 4) + " bytes follow");
        }
        return decodeBody(frame, 4, frame.length());
    }

    /** Decodes version, type and payload in {@code [start, end)} of {@code bytes}. */
    PeerMessage decodeBody(Buffer bytes, int start, int end) {
        WireReader in = new WireReader(bytes, start, end);
        byte version = in.readByte();
        if (version != VERSION) {
            throw new CodecException("unsupported frame version " + version);
        }
        byte type = in.readByte();
        try {
            PeerMessage message = switch (type) {
                case TYPE_FORWARD_PROPOSAL -> new ForwardProposal(in.readString("from"), in.readString("to"),
                        in.readLong(), in.readBytes("command"));
                case TYPE_FORWARD_RESULT -> new ForwardResult(in.readString("from"), in.readString("to"),
                        in.readLong(), in.readLong(), in.readLong(), in.readByte(), in.readString("leaderHint"));
                case TYPE_FORWARD_ADMIN -> new ForwardAdmin(in.readString("from"), in.readString("to"), in.readLong(),
                        AdminOp.fromCode(in.readByte()), nonNull(in.readString("memberId"), "memberId"),
                        nonNull(in.readString("address"), "address"));
                case TYPE_ADMIN_RESULT -> new AdminResult(in.readString("from"), in.readString("to"), in.readLong(),
                        AdminStatus.fromCode(in.readByte()), in.readLong(), in.readString("leaderHint"),
                        nonNull(in.readString("message"), "message"));
                default -> new RaftFrame(decodeRaft(type, in));
            };
            in.expectEnd("message type " + type);
            return message;
        } catch (IllegalArgumentException e) {
            // A record's own validation (an entry of term 0, an unknown entry type or status code).
            throw new CodecException("invalid message of type " + type + ": " + e.getMessage(), e);
        }
    }

    private static String nonNull(String value, String field) {
        if (value == null) {
            throw new CodecException(field + " is null");
        }
        return value;
    }

    private static void encodeRaft(Message m, Buffer out) {
        out.appendByte(typeOf(m));
        string(out, m.from());
        string(out, m.to());
        out.appendLong(m.term());
        if (m instanceof VoteRequest v) {
            out.appendLong(v.lastLogIndex()).appendLong(v.lastLogTerm());
            bool(out, v.preVote());
            bool(out, v.leadershipTransfer());
        } else if (m instanceof VoteResponse v) {
            bool(out, v.granted());
            bool(out, v.preVote());
        } else if (m instanceof AppendEntries a) {
            out.appendLong(a.prevLogIndex()).appendLong(a.prevLogTerm()).appendLong(a.leaderCommit());
            out.appendInt(a.entries().size());
            for (Entry e : a.entries()) {
                out.appendLong(e.term()).appendLong(e.index()).appendByte((byte) e.type().code());
                bytes(out, e.data());
            }
        } else if (m instanceof AppendResponse a) {
            bool(out, a.success());
            out.appendLong(a.matchIndex()).appendLong(a.rejectedIndex()).appendLong(a.hintIndex()).appendLong(a.hintTerm());
        } else if (m instanceof Heartbeat h) {
            out.appendLong(h.commit()).appendLong(h.readContext());
        } else if (m instanceof HeartbeatResponse h) {
            out.appendLong(h.readContext());
        } else if (m instanceof InstallSnapshot s) {
            SnapshotMeta meta = s.meta();
            out.appendLong(meta.index()).appendLong(meta.term()).appendLong(meta.sizeBytes());
            bytes(out, membershipBytes(meta.membership()));
            out.appendLong(s.offset());
            bytes(out, s.chunk());
            bool(out, s.last());
        } else if (m instanceof InstallSnapshotResponse s) {
            out.appendLong(s.snapshotIndex()).appendLong(s.nextOffset());
            bool(out, s.installed());
        } else if (m instanceof ReadIndexRequest r) {
            out.appendLong(r.requestId());
        } else if (m instanceof ReadIndexResponse r) {
            out.appendLong(r.requestId()).appendLong(r.readIndex());
            bool(out, r.accepted());
        }
        // TimeoutNow carries nothing beyond the common fields.
    }

    private static Message decodeRaft(byte type, WireReader in) {
        String from = in.readString("from");
        String to = in.readString("to");
        long term = in.readLong();
        return switch (type) {
            case TYPE_VOTE_REQUEST -> new VoteRequest(from, to, term, in.readLong(), in.readLong(),
                    in.readBoolean(), in.readBoolean());
            case TYPE_VOTE_RESPONSE -> new VoteResponse(from, to, term, in.readBoolean(), in.readBoolean());
            case TYPE_APPEND_ENTRIES -> {
                long prevLogIndex = in.readLong();
                long prevLogTerm = in.readLong();
                long leaderCommit = in.readLong();
                int count = in.readCount(8 + 8 + 1 + 4, "entry");
                List<Entry> entries = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    long entryTerm = in.readLong();
                    long index = in.readLong();
                    EntryType entryType = EntryType.fromCode(in.readByte());
                    entries.add(new Entry(entryTerm, index, entryType, in.readBytes("entry data")));
                }
                yield new AppendEntries(from, to, term, prevLogIndex, prevLogTerm, entries, leaderCommit);
            }
            case TYPE_APPEND_RESPONSE -> new AppendResponse(from, to, term, in.readBoolean(), in.readLong(),
                    in.readLong(), in.readLong(), in.readLong());
            case TYPE_HEARTBEAT -> new Heartbeat(from, to, term, in.readLong(), in.readLong());
            case TYPE_HEARTBEAT_RESPONSE -> new HeartbeatResponse(from, to, term, in.readLong());
            case TYPE_INSTALL_SNAPSHOT -> {
                long index = in.readLong();
                long snapshotTerm = in.readLong();
                long sizeBytes = in.readLong();
                Membership membership = readMembership(in.readBytes("membership"));
                SnapshotMeta meta = new SnapshotMeta(index, snapshotTerm, membership, sizeBytes);
                yield new InstallSnapshot(from, to, term, meta, in.readLong(), in.readBytes("chunk"), in.readBoolean());
            }
            case TYPE_INSTALL_SNAPSHOT_RESPONSE -> new InstallSnapshotResponse(from, to, term, in.readLong(),
                    in.readLong(), in.readBoolean());
            case TYPE_TIMEOUT_NOW -> new TimeoutNow(from, to, term);
            case TYPE_READ_INDEX_REQUEST -> new ReadIndexRequest(from, to, term, in.readLong());
            case TYPE_READ_INDEX_RESPONSE -> new ReadIndexResponse(from, to, term, in.readLong(), in.readLong(),
                    in.readBoolean());
            default -> throw new CodecException("unknown message type " + type);
        };
    }

    private static byte typeOf(Message m) {
        if (m instanceof VoteRequest) {
            return TYPE_VOTE_REQUEST;
        } else if (m instanceof VoteResponse) {
            return TYPE_VOTE_RESPONSE;
        } else if (m instanceof AppendEntries) {
            return TYPE_APPEND_ENTRIES;
        } else if (m instanceof AppendResponse) {
            return TYPE_APPEND_RESPONSE;
        } else if (m instanceof Heartbeat) {
            return TYPE_HEARTBEAT;
        } else if (m instanceof HeartbeatResponse) {
            return TYPE_HEARTBEAT_RESPONSE;
        } else if (m instanceof InstallSnapshot) {
            return TYPE_INSTALL_SNAPSHOT;
        } else if (m instanceof InstallSnapshotResponse) {
            return TYPE_INSTALL_SNAPSHOT_RESPONSE;
        } else if (m instanceof TimeoutNow) {
            return TYPE_TIMEOUT_NOW;
        } else if (m instanceof ReadIndexRequest) {
            return TYPE_READ_INDEX_REQUEST;
        } else if (m instanceof ReadIndexResponse) {
            return TYPE_READ_INDEX_RESPONSE;
        }
        throw new CodecException("no encoding for " + m);
    }

    private static int estimateSize(PeerMessage message) {
        int size = 128;
        if (message instanceof RaftFrame frame) {
            if (frame.message() instanceof AppendEntries a) {
                for (Entry e : a.entries()) {
                    size += Entry.HEADER_BYTES + e.data().length;
                }
            } else if (frame.message() instanceof InstallSnapshot s) {
                size += length(s.chunk()) + 64 * s.meta().membership().members().size();
            }
        } else if (message instanceof ForwardProposal p) {
            size += length(p.command());
        }
        return size;
    }

    /** For the size estimate only: a null array fails later, in {@link #bytes}, as a CodecException. */
    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static void string(Buffer out, String s) {
        if (s == null) {
            out.appendInt(-1);
        } else {
            bytes(out, s.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void bytes(Buffer out, byte[] b) {
        if (b == null) {
            throw new CodecException("a byte array field is null");
        }
        out.appendInt(b.length).appendBytes(b);
    }

    private static void bool(Buffer out, boolean b) {
        out.appendByte(b ? (byte) 1 : (byte) 0);
    }

    private static byte[] membershipBytes(Membership membership) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            membership.writeTo(out);
        } catch (IOException e) {
            // Only a string over 65,535 bytes of modified UTF-8 fails here.
            throw new CodecException("membership cannot be encoded: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    private static Membership readMembership(byte[] encoded) {
        ByteArrayInputStream bytes = new ByteArrayInputStream(encoded);
        try {
            Membership membership = Membership.readFrom(new DataInputStream(bytes));
            if (bytes.available() != 0) {
                throw new CodecException(bytes.available() + " unread bytes after the membership");
            }
            return membership;
        } catch (IOException e) {
            throw new CodecException("malformed membership: " + e.getMessage(), e);
        }
    }
}
