package io.quorum.bench.jmh;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.EntryType;
import io.quorum.raft.protocol.Message;
import io.quorum.raft.transport.PeerCodec;
import io.quorum.raft.transport.PeerMessage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Encoding and decoding an AppendEntries frame of {@code entries} 256-byte entries, as the leader sends them. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PeerCodecBenchmark {

    @Param({"1", "64"})
    int entries;

    private final PeerCodec codec = new PeerCodec();
    private PeerMessage append;
    private byte[] frame;

    @Setup
    public void setUp() {
        List<Entry> batch = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            byte[] data = new byte[256];
            ThreadLocalRandom.current().nextBytes(data);
            batch.add(new Entry(7, 1000 + i, EntryType.NORMAL, data));
        }
        append = new PeerMessage.RaftFrame(new Message.AppendEntries("n1", "n2", 7, 999, 7, batch, 998));
        frame = codec.encode(append).getBytes();
    }

    @Benchmark
    public Buffer encode() {
        return codec.encode(append);
    }

    @Benchmark
    public PeerMessage decode() {
        return codec.decode(frame);
    }
}
