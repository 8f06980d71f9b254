package io.quorum.it.nemesis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The peer links of a cluster, one {@link FaultProxy} in front of each node, and the rule of every
 * directed link. Partitions of any shape are sets of rules: {@link #partition} into groups (halves,
 * an isolated node), {@link #bridge}, {@link #ring}, and single links cut one way ({@link #cut}).
 * {@link #heal} lets every frame through again. Links without a rule pass.
 */
public final class Network implements AutoCloseable {

    private final Map<String, FaultProxy> proxies = new LinkedHashMap<>();
    private final Map<String, LinkRule> rules = new ConcurrentHashMap<>();
    private final List<String> nodes;

    /**
     * Starts one proxy per node on the port peers dial, forwarding to the port the node listens on.
     *
     * @param dialPorts   node id to the port of its member address
     * @param listenPorts node id to the port of its {@code --raft-listen-addr}
     */
    public Network(Map<String, Integer> dialPorts, Map<String, Integer> listenPorts) {
        this.nodes = List.copyOf(dialPorts.keySet());
        try {
            for (String node : nodes) {
                proxies.put(node, new FaultProxy(node, dialPorts.get(node), listenPorts.get(node), this::rule));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    /** The rule of the link {@code from → to}. */
    public LinkRule rule(String from, String to) {
        return rules.getOrDefault(key(from, to), LinkRule.PASS);
    }

    /** Sets the rule of the one-way link {@code from → to}. */
    public synchronized void set(String from, String to, LinkRule rule) {
        if (from.equals(to)) {
            return;
        }
        rules.put(key(from, to), rule);
        if (rule.kind() == LinkRule.Kind.RESET) {
            proxies.get(to).enforceResets();
        }
    }

    /** Both directions between {@code a} and {@code b}. */
    public void setBoth(String a, String b, LinkRule rule) {
        set(a, b, rule);
        set(b, a, rule);
    }

    /** Cuts {@code from → to} only (a one-way fault); {@code to → from} keeps its rule. */
    public void cut(String from, String to, LinkRule rule) {
        set(from, to, rule);
    }

    /** Every link between different groups gets {@code rule}; links within a group pass. */
    public synchronized void partition(LinkRule rule, Collection<? extends Set<String>> groups) {
        heal();
        List<Set<String>> list = new ArrayList<>(groups);
        for (int i = 0; i < list.size(); i++) {
            for (int j = 0; j < list.size(); j++) {
                if (i != j) {
                    for (String a : list.get(i)) {
                        for (String b : list.get(j)) {
                            set(a, b, rule);
                        }
                    }
                }
            }
        }
    }

    /** {@code node} cut from every other node, both ways. */
    public void isolate(String node, LinkRule rule) {
        Set<String> rest = new java.util.LinkedHashSet<>(nodes);
        rest.remove(node);
        partition(rule, List.of(Set.of(node), rest));
    }

    /**
     * Two sides that reach each other only through {@code bridge}, which reaches both: every link
     * between a node of {@code left} and one of {@code right} is cut.
     */
    public synchronized void bridge(LinkRule rule, Set<String> left, String bridge, Set<String> right) {
        heal();
        for (String a : left) {
            for (String b : right) {
                setBoth(a, b, rule);
            }
        }
    }

    /** Each node reaches only its two neighbours in the order of {@code ring}: partial connectivity. */
    public synchronized void ring(LinkRule rule, List<String> ring) {
        heal();
        int n = ring.size();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int distance = Math.abs(i - j);
                if (i != j && distance != 1 && distance != n - 1) {
                    set(ring.get(i), ring.get(j), rule);
                }
            }
        }
    }

    /** Every link passes again. */
    public synchronized void heal() {
        rules.clear();
    }

    /** The links that currently have a rule other than pass, e.g. {@code n1->n2=blackhole}. */
    public synchronized Map<String, LinkRule> faults() {
        return Map.copyOf(rules);
    }

    /** Frames dropped so far on every link. */
    public long dropped() {
        return proxies.values().stream().mapToLong(FaultProxy::dropped).sum();
    }

    /** The port of the proxy in front of {@code node}: the port its peers dial. */
    public int port(String node) {
        return proxies.get(node).port();
    }

    public List<String> nodes() {
        return nodes;
    }

    private static String key(String from, String to) {
        return from + "->" + to;
    }

    @Override
    public void close() {
        proxies.values().forEach(FaultProxy::close);
    }
}
