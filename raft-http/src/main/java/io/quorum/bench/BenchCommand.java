package io.quorum.bench;

import io.quorum.client.DurationText;
import io.quorum.raft.tls.PemFiles;
import io.quorum.raft.tls.TlsException;
import io.quorum.raft.tls.TlsMaterial;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code quorum bench WORKLOAD [options]}: runs one workload against Quorum, etcd or ZooKeeper and
 * prints a table, or one line of JSON with {@code --json}. Exit 0 after a run (its errors are in
 * the report), 1 when the target could not be set up, 2 on a usage error.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures throughput and latency of a workload against Quorum, etcd or ZooKeeper.",
                "",
                "Closed loop: --clients operations outstanding at once over --connections connections; the "
                        + "latency of each operation, from its start to its answer, is recorded in HdrHistogram "
                        + "(microseconds) after the --warmup.",
                "",
                "Coordinated omission: a client waits for its answer before it sends again, so a stall delays "
                        + "the requests it would have sent instead of counting them as slow. The percentiles are "
                        + "service times at that concurrency, not response times at a fixed request rate.",
                "",
                "Workloads: put; get (linearizable, or --stale); lock-cycle (each client its own lock, "
                        + "acquire+release in one session opened first); lock-contended (every client one lock; "
                        + "the critical section is one 256-byte put); mixed (--read-fraction reads, the rest puts).",
                ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the run completed (its errors are counted in the report)",
                "1:the target could not be reached or set up", "2:usage error"})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "put, get, lock-cycle, lock-contended or mixed.")
    String workload;

    @Option(names = "--target", defaultValue = "quorum", paramLabel = "SYSTEM",
            description = "quorum (HTTP API), etcd (native v3 gRPC API) or zookeeper (Curator) (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--endpoints", paramLabel = "ENDPOINT[,ENDPOINT…]",
            description = "Client endpoints; client i uses endpoint i mod n. Default per target: "
                    + "http://127.0.0.1:7001 (or QUORUM_ENDPOINTS), http://127.0.0.1:2379 (etcd: host:port or "
                    + "http://host:port), 127.0.0.1:2181. https://host:port speaks TLS (quorum and etcd; "
                    + "ZooKeeper is plaintext only); all endpoints of a run use one scheme.")
    String endpoints;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "For https endpoints: the CA certificate(s) the servers' certificates must chain to "
                    + "(PEM; default: the JVM's trust store; env QUORUM_CACERT, for the quorum target only).")
    Path cacert;

    @Option(names = "--cert", paramLabel = "FILE",
            description = "For https endpoints: a client certificate (PEM) for servers that require one; goes with "
                    + "--key (env QUORUM_CERT, for the quorum target only).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE",
            description = "The private key of --cert (PEM, unencrypted; env QUORUM_KEY, for the quorum target only).")
    Path key;

    @Option(names = "--clients", defaultValue = "16", description = "Operations outstanding at once (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--connections", description = "Connections the clients share (default: one per client; etcd: one gRPC channel per "
                    + "endpoint, which carries many calls at once).")
    Integer connections;

    @Option(names = "--total", description = "Measure this many operations after the warmup (instead of --duration).")
    Long total;

    @Option(names = "--duration", converter = DurationArg.class, paramLabel = "DURATION",
            description = "Measure for this long after the warmup (default: 30s unless --total).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = DurationArg.class, paramLabel = "DURATION",
            description = "Run this long first without measuring (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--key-size", defaultValue = "8", description = "Key length in characters (default: ${DEFAULT-VALUE}).")
    int keySize;

    @Option(names = "--value-size", defaultValue = "256", description = "Value size in bytes (default: ${DEFAULT-VALUE}).")
    int valueSize;

    @Option(names = "--key-space", defaultValue = "10000", description = "Distinct keys (default: ${DEFAULT-VALUE}).")
    int keySpace;

    @Option(names = "--stale", description = "Reads from the answering member's replica instead of linearizable reads.")
    boolean stale;

    @Option(names = "--read-fraction", defaultValue = "0.9", description = "Share of reads in mixed (default: ${DEFAULT-VALUE}).")
    double readFraction;

    @Option(names = "--timeout", defaultValue = "30s", converter = DurationArg.class, paramLabel = "DURATION",
            description = "An operation still unanswered after this counts as a timeout error (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--json", description = "Print one line of JSON instead of the table.")
    boolean json;

    @Option(names = "--label", defaultValue = "", description = "A name for this run in the JSON output.")
    String label;

    /** {@code 500ms}, {@code 10s}, {@code 2m} or milliseconds. */
    static final class DurationArg implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return DurationText.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The validated options. @throws ParameterException on a usage error */
    public BenchOptions options() {
        try {
            TargetKind kind = TargetKind.parse(target);
            String list = ownValue(kind, "--endpoints", endpoints);
            if (list == null) {
                list = kind.defaultEndpoints();
            }
            TlsMaterial tls = tlsMaterial(ownValue(kind, "--cacert", cacert), ownValue(kind, "--cert", cert),
                    ownValue(kind, "--key", key));
            if (total != null && duration != null) {
                throw new IllegalArgumentException("give exactly one of --total and --duration");
            }
            Duration measured = total == null && duration == null ? Duration.ofSeconds(30)
                    : duration == null ? Duration.ZERO : duration;
            List<String> endpointList = Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            return new BenchOptions(kind, endpointList, Workload.parse(workload), clients,
                    connections == null ? kind.defaultConnections(clients, Math.max(1, endpointList.size())) : connections,
                    total == null ? 0 : total, measured, warmup, keySize, valueSize, keySpace, stale, readFraction,
                    timeout, label, tls);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * {@code value} when the command line gave {@code option}, or when it came from the environment
     * (or is unset) for the quorum target; else null. QUORUM_* variables describe a Quorum cluster:
     * its endpoints and CA are not etcd's.
     */
    private <T> T ownValue(TargetKind kind, String option, T value) {
        ParseResult parsed = spec.commandLine().getParseResult();
        boolean typed = parsed == null || parsed.hasMatchedOption(option);
        return typed || kind == TargetKind.QUORUM ? value : null;
    }

    /** The files of --cacert, --cert and --key, read and checked; null when none is given. */
    private static TlsMaterial tlsMaterial(Path caFile, Path certFile, Path keyFile) {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException(
                    (certFile == null ? "--cert" : "--key") + " is missing: --cert and --key go together");
        }
        if (caFile == null && certFile == null) {
            return null;
        }
        try {
            return TlsMaterial.load(new PemFiles(certFile, keyFile, caFile));
        } catch (TlsException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws Exception {
        BenchOptions options = options();
        PrintStream err = System.err;
        Target system;
        try {
            system = Targets.open(options);
        } catch (BenchFailure | IllegalArgumentException e) {
            err.println("quorum bench: " + e.getMessage());
            return 1;
        }
        try (Target closing = system; Operations operations = new Operations(options, system)) {
            Driver driver = new Driver();
            try {
                operations.prepare(driver);
            } catch (BenchFailure e) {
                err.println("quorum bench: " + e.getMessage());
                return 1;
            }
            ProgressLine progress = ProgressLine.onConsole(err);
            Result result = driver.run(operations.operation(), options.clients(), options.total(),
                    options.duration(), options.warmup(), Duration.ofSeconds(1), progress);
            if (progress != null) {
                progress.end();
            }
            System.out.print(json ? Report.json(options, result) + System.lineSeparator()
                    : Report.table(options, result));
            System.out.flush();
            return 0;
        }
    }
}
