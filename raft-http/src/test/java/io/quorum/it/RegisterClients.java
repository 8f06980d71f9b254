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

    private final List<QuorumClient> endpoints;
    private final String prefix;
    private final int keys;
    private final int readPercent;

    /** Client {@code c} goes through {@code endpoints.get(c % size)}, so that every node takes requests. */
    RegisterClients(History history, List<QuorumClient> endpoints, String prefix, int clients, int keys, int readPercent,
                    long seed) {
        super(history, "register", clients, seed);
        this.endpoints = List.copyOf(endpoints);
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
    void step(String name, int c, int n, SplittableRandom random) {
        QuorumClient client = endpoints.get(c % endpoints.size());
        String key = prefix + "r" + random.nextInt(keys);
        int dice = random.nextInt(100);
        if (dice < readPercent) {
            read(client, name, key);
        } else if (dice < readPercent + (100 - readPercent) / 2) {
            write(client, name, key, name + "-" + n);
        } else {
            read(client, name, key).ifPresent(version -> cas(client, name, key, version, name + "-" + n + "c"));
        }
    }

    /** Reads {@code key}; the version it saw (0: absent) when the read answered. */
    private Optional<Long> read(QuorumClient client, String name, String key) {
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

    private void write(QuorumClient client, String name, String key, String value) {
        long invoke = history.now();
        try {
            client.put(key, value.getBytes(StandardCharsets.UTF_8));
            history.record(name, "write", key, value, -1, 0, 0, invoke, Outcome.ok, null);
        } catch (RuntimeException e) {
            history.record(name, "write", key, value, -1, 0, 0, invoke, ClientHistory.outcomeOf(e), ClientHistory.describe(e));
        }
    }

    private void cas(QuorumClient client, String name, String key, long version, String value) {
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
                version = read(endpoints.get(attempt % endpoints.size()), "final", key);
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
