package io.quorum.coord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CommandCodecTest {

    static List<Command> samples() {
        return List.of(
                new Command.Put("a/b", "value".getBytes(), Command.ANY_VERSION, Command.NO_SESSION, null),
                new Command.Put("a", new byte[0], Command.ABSENT, 17, new Fence("locks/x", 123_456_789_012L)),
                new Command.Put("k", new byte[] {0, -1, 127}, 5, Command.NO_SESSION, null),
                new Command.Delete("k", Command.ANY_VERSION, null),
                new Command.Delete("k", 3, new Fence("l", 9)),
                new Command.OpenSession(15_000, 0),
                new Command.OpenSession(-1, Long.MAX_VALUE),
                new Command.KeepAlive(Long.MAX_VALUE),
                new Command.CloseSession(1),
                new Command.ExpireSessions(List.of()),
                new Command.ExpireSessions(List.of(1L, 2L, Long.MIN_VALUE)),
                new Command.Acquire("locks/db", 4, LockMode.EXCLUSIVE, 0),
                new Command.Acquire("locks/db", 4, LockMode.SHARED, 30_000),
                new Command.Release("locks/db", 4),
                new Command.CancelWait("locks/db", 4),
                new Command.ExpireWaits(List.of(new WaitRef("a", 1), new WaitRef("b", 2))),
                new Command.ClearLockDelays(List.of("a", "b/c")),
                new Command.LeaderChanged(),
                new Command.Advertise("n2", "127.0.0.1:7002"),
                new Command.Advertise("n3", ""));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyCommandSurvivesARoundTrip(Command command) {
        for (long time : new long[] {0, 1, 1_732_600_000_000L, Long.MAX_VALUE}) {
            StampedCommand stamped = new StampedCommand(time, command);
            assertThat(CommandCodec.decode(CommandCodec.encode(stamped))).isEqualTo(stamped);
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyTruncationIsRejected(Command command) {
        byte[] payload = CommandCodec.encode(new StampedCommand(1_732_600_000_000L, command));
        for (int length = 0; length < payload.length; length++) {
            byte[] cut = Arrays.copyOf(payload, length);
            assertThatThrownBy(() -> CommandCodec.decode(cut)).isInstanceOf(MalformedPayloadException.class);
        }
        byte[] longer = Arrays.copyOf(payload, payload.length + 1);
        assertThatThrownBy(() -> CommandCodec.decode(longer))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("unexpected bytes");
    }

    @Test
    void aSmallPutIsCompact() {
        byte[] payload = CommandCodec.encode(new StampedCommand(1_732_600_000_000L,
                new Command.Put("k", "v".getBytes(), Command.ANY_VERSION, Command.NO_SESSION, null)));
        assertThat(payload.length).isLessThanOrEqualTo(16);
    }

    @Test
    void specificGarbageIsRejectedWithAReason() {
        assertThatThrownBy(() -> CommandCodec.decode(new byte[] {0x00, 1, 0, 12}))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> CommandCodec.decode(new byte[] {0x51, 9, 0, 12}))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("version 9");
        assertThatThrownBy(() -> CommandCodec.decode(new byte[] {0x51, 1, 0, 99}))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("unknown command tag 99");
        // A Put claiming a value of about 2^62 bytes: refused before any allocation.
        byte[] hugeValue = {0x51, 1, 0, 1, 0, 2, 'k', 'k', (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F};
        assertThatThrownBy(() -> CommandCodec.decode(hugeValue))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("value length");
        // An ExpireSessions claiming a billion ids in three bytes.
        byte[] hugeCount = {0x51, 1, 0, 6, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 1};
        assertThatThrownBy(() -> CommandCodec.decode(hugeCount))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("session count");
        byte[] truncatedClose = {0x51, 1, 0, 5};
        assertThatThrownBy(() -> CommandCodec.decode(truncatedClose)).isInstanceOf(MalformedPayloadException.class);
        byte[] invalidUtf8Key = {0x51, 1, 0, 8, 4, (byte) 0xC3, 0x28, 2};
        assertThatThrownBy(() -> CommandCodec.decode(invalidUtf8Key))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("UTF-8");
        byte[] overlongVarint = {0x51, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01, 12};
        assertThatThrownBy(() -> CommandCodec.decode(overlongVarint))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("varint");
        byte[] unknownFlags = {0x51, 1, 0, 1, (byte) 0x80, 2, 'k', 'k', 0};
        assertThatThrownBy(() -> CommandCodec.decode(unknownFlags))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("flags");
        byte[] unknownMode = {0x51, 1, 0, 7, 2, 'k', 'k', 2, 5, 0};
        assertThatThrownBy(() -> CommandCodec.decode(unknownMode))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("lock mode");
        byte[] negativeTime = {0x51, 1, 1, 12};
        assertThatThrownBy(() -> CommandCodec.decode(negativeTime))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("clusterTimeMillis");
    }

    /** Seeded random bytes, and random corruptions of valid payloads: decode answers or rejects, nothing else. */
    @Test
    void randomBytesNeverDecodeIntoAnythingButACommandOrARejection() {
        long seeds = 2_000;
        int rejected = 0;
        for (long seed : LongStream.range(0, seeds).toArray()) {
            SplittableRandom random = new SplittableRandom(seed);
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            if (random.nextBoolean() && garbage.length >= 2) {
                garbage[0] = 0x51;
                garbage[1] = 1;
            }
            rejected += decodesOrRejects(garbage, seed) ? 0 : 1;

            List<Command> samples = samples();
            byte[] valid = CommandCodec.encode(new StampedCommand(random.nextLong(Long.MAX_VALUE),
                    samples.get(random.nextInt(samples.size()))));
            for (int flips = 0; flips < 3; flips++) {
                valid[random.nextInt(valid.length)] ^= (byte) (1 << random.nextInt(8));
            }
            rejected += decodesOrRejects(valid, seed) ? 0 : 1;
        }
        assertThat(rejected).isGreaterThan((int) seeds);
    }

    private static boolean decodesOrRejects(byte[] payload, long seed) {
        try {
            StampedCommand decoded = CommandCodec.decode(payload);
            // Whatever decoded must encode again and decode to the same command.
            assertThat(CommandCodec.decode(CommandCodec.encode(decoded))).as("seed %d", seed).isEqualTo(decoded);
            return true;
        } catch (MalformedPayloadException e) {
            assertThat(e.getMessage()).as("seed %d", seed).isNotBlank();
            return false;
        }
    }

    @Test
    void aCommittedPayloadThatDoesNotDecodeIsAnsweredTheSameEverywhere() {
        CoordStateMachine sm = new CoordStateMachine(CoordConfig.DEFAULTS);
        Applied applied = sm.apply(7, new byte[] {1, 2, 3});
        assertThat(applied.result()).isInstanceOfSatisfying(Result.Failure.class,
                f -> assertThat(f.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(sm.appliedIndex()).isEqualTo(7);
        assertThatThrownBy(() -> sm.apply(7, new byte[0])).isInstanceOf(IllegalStateException.class);
    }
}
