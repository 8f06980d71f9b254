package io.quorum.bench.jmh;

import io.quorum.coord.Applied;
import io.quorum.coord.Command;
import io.quorum.coord.CommandCodec;
import io.quorum.coord.CoordConfig;
import io.quorum.coord.CoordStateMachine;
import io.quorum.coord.StampedCommand;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The state machine's apply path for the commonest entry, a 256-byte put to one of 10,000 keys:
 * encoding the command as the leader does, and decoding plus applying it as every replica does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ApplyBenchmark {

    private static final int KEYS = 10_000;

    private CoordStateMachine machine;
    private byte[][] payloads;
    private StampedCommand sample;
    private long index;

    @Setup
    public void setUp() {
        machine = new CoordStateMachine(CoordConfig.DEFAULTS);
        payloads = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            Command put = new Command.Put(String.format("bench/%08d", i), new byte[256], Command.ANY_VERSION,
                    Command.NO_SESSION, null);
            payloads[i] = CommandCodec.encode(new StampedCommand(1_000 + i, put));
        }
        sample = CommandCodec.decode(payloads[0]);
    }

    @Benchmark
    public byte[] encodePut() {
        return CommandCodec.encode(sample);
    }

    @Benchmark
    public Applied decodeAndApplyPut() {
        index++;
        return machine.apply(index, payloads[(int) (index % KEYS)]);
    }
}
