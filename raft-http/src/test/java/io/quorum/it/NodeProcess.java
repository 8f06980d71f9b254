package io.quorum.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node of a {@link ProcessCluster}: its fixed identity (id, ports, data dir, log file) and
 * the JVM currently running it, if any. Every start appends the JVM's stdout and stderr to the
 * same log file, so a restart keeps the history of the node in one place.
 */
public final class NodeProcess {

    /** Small heaps and C1 only: the nodes start in about a second and hold little state. */
    static final List<String> JVM_FLAGS = List.of("-Xms32m", "-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xss512k");

    private final String id;
    private final int httpPort;
    private final int raftPort;
    private final int listenPort;
    private final Path dataDir;
    private final Path logFile;
    private final Http http;
    private final ClusterTls tls;
    private Process process;

    NodeProcess(String id, int httpPort, int raftPort, Path dataDir, Path logFile) {
        this(id, httpPort, raftPort, raftPort, dataDir, logFile, null);
    }

    /**
     * A node whose Raft transport listens on {@code listenPort} while peers dial {@code raftPort} (a
     * proxy), with TLS on both ports when {@code tls} is not null.
     */
    NodeProcess(String id, int httpPort, int raftPort, int listenPort, Path dataDir, Path logFile, ClusterTls tls) {
        this.id = id;
        this.httpPort = httpPort;
        this.raftPort = raftPort;
        this.listenPort = listenPort;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.tls = tls;
        this.http = tls == null ? new Http(httpPort) : new Http(httpPort, tls.clientContext());
    }

    public String id() {
        return id;
    }

    public int httpPort() {
        return httpPort;
    }

    public String raftAddr() {
        return "127.0.0.1:" + raftPort;
    }

    /** The port the Raft transport listens on: {@link #raftAddr()}'s unless a proxy sits in front. */
    public int listenPort() {
        return listenPort;
    }

    public int raftPort() {
        return raftPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** The client of this node's API; it answers only while the node runs and is not paused. */
    public Http http() {
        return http;
    }

    /** True while a JVM of this node runs (paused counts as running). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(id + " was never started");
        }
        return process.pid();
    }

    /** Starts the JVM; returns at once (see {@link ProcessCluster#awaitReady}). */
    synchronized void start(Path jar, String members) {
        if (isRunning()) {
            throw new IllegalStateException(id + " is already running (pid " + process.pid() + ")");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-jar", jar.toString(), "server", "--id", id, "--data-dir", dataDir.toString(),
                "--http-addr", "127.0.0.1:" + httpPort, "--raft-addr", raftAddr(), "--members", members,
                "--drain-timeout", "5"));
        if (listenPort != raftPort) {
            command.addAll(List.of("--raft-listen-addr", "127.0.0.1:" + listenPort));
        }
        if (tls != null) {
            command.addAll(tls.flags(id));
        }
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "---- " + String.join(" ", command) + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + id, e);
        }
    }

    /** SIGKILL, and waits until the process is gone. */
    synchronized void kill9() {
        requireRunning();
        process.destroyForcibly();
        awaitExit(10);
    }

    /** SIGTERM; waits for the exit and returns its status. */
    synchronized int terminate(long timeoutSeconds) {
        requireRunning();
        process.destroy();
        return awaitExit(timeoutSeconds);
    }

    /** SIGSTOP ({@code stop}) or SIGCONT ({@code cont}) through {@code kill}. */
    synchronized void signal(String signal) {
        requireRunning();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Ends the JVM whatever its state (SIGKILL ends a paused one too), if it runs. */
    synchronized void destroy() {
        if (isRunning()) {
            process.destroyForcibly();
            awaitExit(10);
        }
    }

    private void requireRunning() {
        if (!isRunning()) {
            throw new IllegalStateException(id + " is not running");
        }
    }

    private int awaitExit(long timeoutSeconds) {
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError(id + " (pid " + process.pid() + ") did not exit within " + timeoutSeconds + "s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return id + "(http " + httpPort + ", raft " + raftPort + ")";
    }
}
