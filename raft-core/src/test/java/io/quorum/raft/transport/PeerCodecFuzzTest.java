package io.quorum.raft.transport;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arbitrary bytes never crash the decoder: random bytes, truncated frames and frames with one byte
 * changed decode to a message or fail with {@link CodecException}, never anything else (no other
 * exception, no out-of-memory from a forged length, no endless loop). What does decode must
 * re-encode to bytes that decode and re-encode to the same bytes. Each property runs over 200 seeds; a failure names
 * its seed.
 */
class PeerCodecFuzzTest {

    private static final byte[] TYPES = {
        PeerCodec.TYPE_VOTE_REQUEST, PeerCodec.TYPE_VOTE_RESPONSE, PeerCodec.TYPE_APPEND_ENTRIES,
        PeerCodec.TYPE_APPEND_RESPONSE, PeerCodec.TYPE_HEARTBEAT, PeerCodec.TYPE_HEARTBEAT_RESPONSE,
        PeerCodec.TYPE_INSTALL_SNAPSHOT, PeerCodec.TYPE_INSTALL_SNAPSHOT_RESPONSE, PeerCodec.TYPE_TIMEOUT_NOW,
        PeerCodec.TYPE_READ_INDEX_REQUEST, PeerCodec.TYPE_READ_INDEX_RESPONSE, PeerCodec.TYPE_FORWARD_PROPOSAL,
        PeerCodec.TYPE_FORWARD_RESULT, 0, 12, 31, 34, 127, -128,
    };

    private final PeerCodec codec = new PeerCodec(1 << 20);

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomBytesDecodeOrFailCleanly(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 40; i++) {
            byte[] bytes = new byte[random.nextInt(400)];
            random.nextBytes(bytes);
            if (bytes.length >= PeerCodec.HEADER_BYTES && random.nextInt(4) != 0) {
                // Most purely random frames die at the length field; give most a plausible header so
                // that the payload readers see the garbage.
                writeInt(bytes, 0, bytes.length - 4);
                bytes[4] = PeerCodec.VERSION;
                bytes[5] = TYPES[random.nextInt(TYPES.length)];
            }
            decodeOrFailCleanly(bytes, seed);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void truncatedFramesDecodeOrFailCleanly(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        MessageGenerator gen = new MessageGenerator(random);
        for (int kind = 0; kind < MessageGenerator.KINDS; kind++) {
            byte[] frame = codec.encode(gen.message(kind)).getBytes();
            for (int i = 0; i < 6; i++) {
                // Short cuts (inside the header and the ids) as often as long ones.
                int cut = random.nextBoolean() ? random.nextInt(Math.min(frame.length, 40)) : random.nextInt(frame.length);
                byte[] truncated = Arrays.copyOf(frame, cut);
                decodeOrFailCleanly(truncated, seed);
                if (cut >= 4) {
                    // The same cut with a length field that agrees: the payload readers run out.
                    writeInt(truncated, 0, cut - 4);
                    decodeOrFailCleanly(truncated, seed);
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void framesWithOneByteChangedDecodeOrFailCleanly(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        MessageGenerator gen = new MessageGenerator(random);
        for (int kind = 0; kind < MessageGenerator.KINDS; kind++) {
            byte[] frame = codec.encode(gen.message(kind)).getBytes();
            for (int i = 0; i < 10; i++) {
                byte[] mutated = frame.clone();
                int at = random.nextInt(mutated.length);
                mutated[at] = interestingByte(random);
                decodeOrFailCleanly(mutated, seed);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theStreamParserStopsCleanlyOnACorruptStream(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        MessageGenerator gen = new MessageGenerator(random);
        Buffer stream = Buffer.buffer();
        for (int i = 0; i < 10; i++) {
            stream.appendBuffer(codec.encode(gen.any()));
        }
        byte[] bytes = stream.getBytes();
        for (int i = random.nextInt(1, 4); i > 0; i--) {
            bytes[random.nextInt(bytes.length)] = interestingByte(random);
        }
        List<PeerMessage> parsed = new ArrayList<>();
        List<CodecException> failures = new ArrayList<>();
        FrameParser parser = new FrameParser(codec, parsed::add, failures::add);
        int position = 0;
        try {
            while (position < bytes.length) {
                int chunk = Math.min(bytes.length - position, random.nextInt(1, 500));
                parser.handle(Buffer.buffer(Arrays.copyOfRange(bytes, position, position + chunk)));
                position += chunk;
            }
        } catch (RuntimeException | Error e) {
            throw new AssertionError("seed " + seed + ": the parser threw " + e, e);
        }
        assertThat(failures).as("seed %d: reported at most once", seed).hasSizeLessThanOrEqualTo(1);
        assertThat(parsed.size()).as("seed %d", seed).isLessThanOrEqualTo(10);
        assertThat(parser.failed()).as("seed %d", seed).isEqualTo(!failures.isEmpty());
    }

    private void decodeOrFailCleanly(byte[] bytes, long seed) {
        PeerMessage decoded;
        try {
            decoded = codec.decode(bytes);
        } catch (CodecException expected) {
            return;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("seed " + seed + ": decoding " + Arrays.toString(bytes) + " threw " + e, e);
        }
        // Bytes, not messages, are compared: a recursive comparison per accepted mutation is slow.
        Buffer encoded = codec.encode(decoded);
        assertThat(codec.encode(codec.decode(encoded))).as("seed %d: re-encoding what was decoded", seed)
                .isEqualTo(encoded);
    }

    /** Byte values that tend to hit edges: 0, 1, -1, sign bits, and random ones. */
    private static byte interestingByte(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> -1;
            case 3 -> (byte) 0x80;
            case 4 -> 0x7F;
            default -> (byte) random.nextInt(256);
        };
    }

    private static void writeInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }
}
