package io.quorum.raft.transport;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.EntryType;
import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.Message;
import io.quorum.raft.protocol.SnapshotMeta;
import io.quorum.raft.transport.PeerMessage.ForwardProposal;
import io.quorum.raft.transport.PeerMessage.ForwardResult;
import io.quorum.raft.transport.PeerMessage.RaftFrame;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Round trips of every message kind through the codec and the stream parser, and the exact bytes of
 * the frame header. Each property runs over 200 seeds; a failure names its seed, and
 * {@code new SplittableRandom(seed)} replays it.
 */
class PeerCodecTest {

    private final PeerCodec codec = new PeerCodec();

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyKindSurvivesARoundTrip(long seed) {
        MessageGenerator gen = new MessageGenerator(new SplittableRandom(seed));
        for (int kind = 0; kind < MessageGenerator.KINDS; kind++) {
            PeerMessage message = gen.message(kind);
            Buffer frame = codec.encode(message);
            assertThat(frame.getInt(0)).as("seed %d: length field of %s", seed, message).isEqualTo(frame.length() - 4);
            assertSameMessage(codec.decode(frame.getBytes()), message, "seed " + seed + ", kind " + kind);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theStreamParserFindsEveryFrameWhereverTheStreamIsCut(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        MessageGenerator gen = new MessageGenerator(random);
        List<PeerMessage> sent = new ArrayList<>();
        Buffer stream = Buffer.buffer();
        for (int i = random.nextInt(1, 30); i > 0; i--) {
            PeerMessage m = gen.any();
            sent.add(m);
            stream.appendBuffer(codec.encode(m));
        }
        List<PeerMessage> parsed = new ArrayList<>();
        FrameParser parser = new FrameParser(codec, parsed::add, e -> {
            throw new AssertionError("seed " + seed + ": valid stream reported malformed", e);
        });
        int position = 0;
        while (position < stream.length()) {
            // Chunks from a single byte up to several frames long, as TCP may deliver them.
            int chunk = Math.min(stream.length() - position, random.nextInt(4) == 0 ? 1 : random.nextInt(1, 3000));
            parser.handle(stream.getBuffer(position, position + chunk));
            position += chunk;
        }
        assertThat(parsed).as("seed %d", seed).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertSameMessage(parsed.get(i), sent.get(i), "seed " + seed + ", message " + i);
        }
    }

    @Test
    void theHeaderIsLengthVersionType() {
        PeerMessage m = new RaftFrame(new Message.TimeoutNow("a", "b", 7));
        byte[] frame = codec.encode(m).getBytes();
        // length(4) version type | from: len(4) 'a' | to: len(4) 'b' | term(8)
        assertThat(frame).hasSize(4 + 2 + 5 + 5 + 8);
        assertThat(Arrays.copyOfRange(frame, 0, 6)).containsExactly(0, 0, 0, 20, 1, PeerCodec.TYPE_TIMEOUT_NOW);
        assertThat(Arrays.copyOfRange(frame, 6, 11)).containsExactly(0, 0, 0, 1, 'a');
    }

    @Test
    void aNullLeaderHintSurvives() {
        ForwardResult r = ForwardResult.rejected("a", "b", 9, ForwardStatus.NOT_LEADER, null);
        assertThat(codec.decode(codec.encode(r).getBytes())).isEqualTo(r);
        ForwardResult accepted = ForwardResult.accepted("b", "a", 9, 120, 4);
        assertThat(((ForwardResult) codec.decode(codec.encode(accepted).getBytes())).outcome()).isEqualTo(ForwardStatus.ACCEPTED);
    }

    @Test
    void forwardStatusCodesAreStable() {
        // On the wire: never renumber.
        assertThat(Arrays.stream(ForwardStatus.values()).map(s -> s.name() + "=" + s.code()))
                .containsExactly("ACCEPTED=0", "NOT_LEADER=1", "OVERLOADED=2", "TRANSFERRING=3", "TOO_LARGE=4",
                        "SHUTTING_DOWN=5", "FAILED=6");
        for (ForwardStatus s : ForwardStatus.values()) {
            assertThat(ForwardStatus.fromCode(s.code())).isSameAs(s);
        }
        assertThatThrownBy(() -> ForwardStatus.fromCode((byte) 7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ForwardStatus.fromCode((byte) -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void adminCodesAreStableAndUnknownOnesAreMalformed() {
        // On the wire: never renumber.
        assertThat(Arrays.stream(AdminOp.values()).map(s -> s.name() + "=" + s.code()))
                .containsExactly("ADD_MEMBER=0", "REMOVE_MEMBER=1", "TRANSFER_LEADERSHIP=2");
        assertThat(Arrays.stream(AdminStatus.values()).map(s -> s.name() + "=" + s.code()))
                .containsExactly("DONE=0", "NO_LEADER=1", "CHANGE_IN_PROGRESS=2", "NOT_COMMITTED=3", "INVALID=4",
                        "TIMEOUT=5", "STOPPED=6");
        PeerMessage.ForwardAdmin add = new PeerMessage.ForwardAdmin("a", "b", 3, AdminOp.ADD_MEMBER, "n4", "127.0.0.1:7104");
        assertThat(codec.decode(codec.encode(add).getBytes())).isEqualTo(add);
        PeerMessage.AdminResult done = new PeerMessage.AdminResult("b", "a", 3, AdminStatus.DONE, 42, null, "done");
        assertThat(codec.decode(codec.encode(done).getBytes())).isEqualTo(done);

        byte[] frame = codec.encode(add).getBytes();
        // length(4) version type | from(5) to(5) | requestId(8) | op
        frame[4 + 2 + 5 + 5 + 8] = 9;
        assertThatThrownBy(() -> codec.decode(frame)).isInstanceOf(CodecException.class).hasMessageContaining("admin operation");
        assertThatThrownBy(() -> AdminStatus.fromCode((byte) 7)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFrameOverTheMaximumIsNeitherWrittenNorRead() {
        PeerCodec small = new PeerCodec(1024);
        ForwardProposal big = new ForwardProposal("a", "b", 1, new byte[2000]);
        assertThatThrownBy(() -> small.encode(big)).isInstanceOf(CodecException.class).hasMessageContaining("exceeds");
        byte[] frame = codec.encode(big).getBytes();
        assertThatThrownBy(() -> small.decode(frame)).isInstanceOf(CodecException.class).hasMessageContaining("frame length");
    }

    @Test
    void trailingBytesAndUnknownVersionsAreMalformed() {
        byte[] frame = codec.encode(new RaftFrame(new Message.HeartbeatResponse("a", "b", 1, 2))).getBytes();
        byte[] longer = Arrays.copyOf(frame, frame.length + 1);
        longer[3]++;
        assertThatThrownBy(() -> codec.decode(longer)).isInstanceOf(CodecException.class).hasMessageContaining("unread");
        byte[] version2 = frame.clone();
        version2[4] = 2;
        assertThatThrownBy(() -> codec.decode(version2)).isInstanceOf(CodecException.class).hasMessageContaining("version");
    }

    @Test
    void invalidRecordsInsideAFrameAreMalformed() {
        // An entry of term 0 is refused by Entry's constructor: the codec reports it as malformed.
        Message.AppendEntries append = new Message.AppendEntries("a", "b", 1, 0, 0,
                List.of(new Entry(1, 1, EntryType.NORMAL, new byte[0])), 0);
        byte[] frame = codec.encode(new RaftFrame(append)).getBytes();
        int entryTermOffset = frame.length - (8 + 8 + 1 + 4);
        Arrays.fill(frame, entryTermOffset, entryTermOffset + 8, (byte) 0);
        assertThatThrownBy(() -> codec.decode(frame)).isInstanceOf(CodecException.class).hasMessageContaining("term");
    }

    @Test
    void anUnencodableMessageFailsWithCodecException() {
        Message.InstallSnapshot noChunk = new Message.InstallSnapshot("a", "b", 1,
                new SnapshotMeta(1, 1, Membership.ofVoters(List.of("a")), 0), 0, null, true);
        assertThatThrownBy(() -> codec.encode(new RaftFrame(noChunk))).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> codec.encode(null)).isInstanceOf(CodecException.class);
    }

    /**
     * Records compare by value, except {@code InstallSnapshot}, whose chunk is a plain array: its
     * chunk is compared by content and the rest as a record.
     */
    static void assertSameMessage(PeerMessage actual, PeerMessage expected, String context) {
        if (expected instanceof RaftFrame f && f.message() instanceof Message.InstallSnapshot snapshot) {
            assertThat(actual).as(context).isInstanceOf(RaftFrame.class);
            Message.InstallSnapshot got = (Message.InstallSnapshot) ((RaftFrame) actual).message();
            assertThat(withoutChunk(got)).as(context).isEqualTo(withoutChunk(snapshot));
            assertThat(got.chunk()).as(context).isEqualTo(snapshot.chunk());
        } else {
            assertThat(actual).as(context).isEqualTo(expected);
        }
    }

    private static Message.InstallSnapshot withoutChunk(Message.InstallSnapshot s) {
        return new Message.InstallSnapshot(s.from(), s.to(), s.term(), s.meta(), s.offset(), null, s.last());
    }
}
