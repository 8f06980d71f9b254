package io.quorum.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Election safety seen from outside: polls every node's {@code GET /v1/cluster} and remembers, per
 * term, which node said it was the leader. Two leaders of one term is a violation, and so is a
 * commit index that goes backwards within one process of a node (a restarted process learns the
 * commit index again).
 */
final class LeaderObserver implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

    private final List<NodeProcess> nodes;
    private final Map<Long, String> leaders = new HashMap<>();
    private final Map<String, Long> commits = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private long samples;

    LeaderObserver(List<NodeProcess> nodes) {
        this.nodes = List.copyOf(nodes);
        this.thread = new Thread(this::run, "leader-observer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running.get()) {
            for (NodeProcess node : nodes) {
                sample(node);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    private void sample(NodeProcess node) {
        JsonNode cluster;
        try {
            Http.Answer answer = node.http().send("GET", "/v1/cluster", null, REQUEST_TIMEOUT);
            if (answer.status() != 200) {
                return;
            }
            cluster = answer.json();
        } catch (RuntimeException e) {
            return;
        }
        long term = cluster.path("term").asLong();
        long commit = cluster.path("commitIndex").asLong();
        boolean leads = false;
        for (JsonNode member : cluster.path("members")) {
            if (node.id().equals(member.path("id").asText()) && "leader".equals(member.path("role").asText())) {
                leads = true;
            }
        }
        synchronized (this) {
            samples++;
            if (leads) {
                String previous = leaders.putIfAbsent(term, node.id());
                if (previous != null && !previous.equals(node.id())) {
                    violations.add("two leaders in term " + term + ": " + previous + " and " + node.id());
                }
            }
            String process = node.id() + " (pid " + pid(node) + ")";
            Long before = commits.put(process, commit);
            if (before != null && commit < before) {
                violations.add(process + "'s commit index went back from " + before + " to " + commit);
            }
        }
    }

    private static long pid(NodeProcess node) {
        try {
            return node.pid();
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized long samples() {
        return samples;
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
