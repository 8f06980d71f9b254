package io.quorum.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The workloads of {@code quorum bench}, by their command-line names. */
public enum Workload {
    /** Writes of {@code --value-size} bytes to random keys of the key space. */
    PUT,
    /** Reads of random keys of the key space, written once before the run; linearizable unless stale. */
    GET,
    /** Each client holds its own lock: acquire then release, repeatedly, in one session opened first. */
    LOCK_CYCLE,
    /** Every client on one lock; the critical section is one 256-byte write. */
    LOCK_CONTENDED,
    /** Reads with probability {@code --read-fraction}, writes otherwise. */
    MIXED;

    /** {@code lock-cycle} for {@link #LOCK_CYCLE}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The workload of a command-line name. @throws IllegalArgumentException for an unknown name */
    public static Workload parse(String name) {
        for (Workload w : values()) {
            if (w.cliName().equals(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + name + "' (one of "
                + Arrays.stream(values()).map(Workload::cliName).collect(Collectors.joining(", ")) + ")");
    }

    /** Whether the keys must exist before the run starts. */
    boolean readsKeys() {
        return this == GET || this == MIXED;
    }

    boolean locks() {
        return this == LOCK_CYCLE || this == LOCK_CONTENDED;
    }
}
