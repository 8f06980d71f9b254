package io.quorum.it;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * One {@link ProcessCluster} for a test class: started before its first test, ended after its
 * last, its nodes' logs printed to stderr when a test fails. Register it as a static field:
 * {@code @RegisterExtension static final ProcessClusterExtension CLUSTER = new ProcessClusterExtension(3);}
 */
public final class ProcessClusterExtension implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {

    private final int size;
    private final boolean proxied;
    private final boolean tls;
    private ProcessCluster cluster;

    public ProcessClusterExtension(int size) {
        this(size, false);
    }

    /** With {@code proxied}, a fault-injecting proxy sits on every peer link ({@link ProcessCluster#network()}). */
    public ProcessClusterExtension(int size, boolean proxied) {
        this(size, proxied, false);
    }

    private ProcessClusterExtension(int size, boolean proxied, boolean tls) {
        this.size = size;
        this.proxied = proxied;
        this.tls = tls;
    }

    /** {@code size} nodes with mutual TLS on their Raft ports and HTTPS with client certificates on their APIs. */
    public static ProcessClusterExtension withTls(int size) {
        return new ProcessClusterExtension(size, false, true);
    }

    /** The running cluster of the current test class. */
    public ProcessCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the cluster starts before the first test of the class");
        }
        return cluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Path root = Path.of("target", "it", context.getRequiredTestClass().getSimpleName() + "-" + System.currentTimeMillis());
        cluster = ProcessCluster.start(size, root.toAbsolutePath(), proxied, tls);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withLogs(context, failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withLogs(context, failure);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withLogs(context, failure);
    }

    /** Prints the nodes' logs to stderr, for the report of {@code failure}. */
    private Throwable withLogs(ExtensionContext context, Throwable failure) {
        System.err.println("==== " + context.getDisplayName() + " failed: " + failure + "; the nodes' logs follow");
        if (cluster != null) {
            cluster.printLogs(System.err);
        }
        return failure;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
