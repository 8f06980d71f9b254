package io.quorum.bench;

/** Opens the target that {@link BenchOptions#target()} names. */
final class Targets {

    private Targets() {
    }

    /** @throws BenchFailure when the target cannot be reached; IllegalArgumentException for a bad endpoint */
    static Target open(BenchOptions options) throws InterruptedException {
        return switch (options.target()) {
            case QUORUM -> new QuorumTarget(options);
            case ETCD -> new EtcdTarget(options);
            case ZOOKEEPER -> new ZooKeeperTarget(options);
        };
    }
}
