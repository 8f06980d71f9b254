package io.quorum.it;

import io.quorum.client.KeyValue;
import io.quorum.client.QuorumClient;
import io.quorum.client.WriteOptions;
import io.quorum.it.history.History;
import io.quorum.it.history.HistoryOp;
import io.quorum.it.history.HistoryOp.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Client threads doing linearizable reads, writes and compare-and-sets ({@code If-Match} on the
 * version a read just returned) on a few independent keys {@code <prefix>r<k>}, each value unique,
 * every operation recorded in a {@link History}. {@link #finalReads} records one last read of every
 * key, so an acknowledged write missing at the end shows as a linearizability violation.
 */
final class RegisterClients extends ClientThreads {

    private final QuorumClient client;
    private final String prefix;
    private final int keys;
    private final int readPercent;

    RegisterClients(History history, QuorumClient client, String prefix, int clients, int keys, int readPercent, long seed) {
        super(history, "register", clients, seed);
        this.client = client;
        this.prefix = prefix;
        this.keys = keys;
        this.readPercent = readPercent;
        start();
    }

    List<String> keys() {
        List<String> all = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            all.add(prefix + "r" + k);
        }
        return all;
    }

    @Override
    void step(String name, int n, SplittableRandom random) {
        String key = prefix + "r" + random.nextInt(keys);
        int dice = random.nextInt(100);
        if (dice < readPercent) {
            read(name, key);
        } else if (dice < readPercent + (100 - readPercent) / 2) {
            write(name, key, name + "-" + n);
        } else {
            read(name, key).ifPresent(version -> cas(name, key, version, name + "-" + n + "c"));
        }
    }

    /** Reads {@code key}; the version it saw (0: absent) when the read answered. */
    private Optional<Long> read(String name, String key) {
        long invoke = history.now();
        try {
            Optional<KeyValue> kv = client.get(key);
            String value = kv.map(v -> new String(v.value(), StandardCharsets.UTF_8)).orElse("");
            long version = kv.map(KeyValue::version).orElse(0L);
            history.record(name, "read", key, value, version, 0, 0, invoke, Outcome.ok, null);
            return Optional.of(version);
        } catch (RuntimeException e) {
            history.record(name, "read", key, "", -1, 0, 0, invoke, Outcome.fail, ClientHistory.describe(e));
            return Optional.empty();
        }
    }

    private void write(String name, String key, String value) {
        long invoke = history.now();
        try {
            client.put(key, value.getBytes(StandardCharsets.UTF_8));
            history.record(name, "write", key, value, -1, 0, 0, invoke, Outcome.ok, null);
        } catch (RuntimeException e) {
            history.record(name, "write", key, value, -1, 0, 0, invoke, ClientHistory.outcomeOf(e), ClientHistory.describe(e));
        }
    }

    private void cas(String name, String key, long version, String value) {
        long invoke = history.now();
        WriteOptions condition = version == 0 ? WriteOptions.NONE.withIfNoneMatch() : WriteOptions.NONE.withIfMatch(version);
        try {
            client.put(key, value.getBytes(StandardCharsets.UTF_8), condition);
            history.record(name, "cas", key, value, version, 0, 0, invoke, Outcome.ok, null);
        } catch (RuntimeException e) {
            history.record(name, "cas", key, value, version, 0, 0, invoke, ClientHistory.outcomeOf(e), ClientHistory.describe(e));
        }
    }

    /** After {@link #close}: one linearizable read of every key, recorded; the versions read. */
    Map<String, Long> finalReads() {
        Map<String, Long> versions = new LinkedHashMap<>();
        for (String key : keys()) {
            Optional<Long> version = Optional.empty();
            for (int attempt = 0; attempt < 20 && version.isEmpty(); attempt++) {
                version = read("final", key);
            }
            versions.put(key, version.orElseThrow(() -> new AssertionError("no final read of " + key + " answered")));
        }
        return versions;
    }

    int operations() {
        return (int) history.ops().stream().filter(o -> !o.client().equals("final")).map(HistoryOp::op)
                .filter(op -> op.equals("read") || op.equals("write") || op.equals("cas")).count();
    }
}
