package io.quorum.raft.transport;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Which messages a {@link LocalNetwork} lets through: blocked one-way links, isolated nodes, and
 * drop rules on message content (drop every AppendResponse from n2, say). Checked when a message
 * is sent and again when it is delivered, so a partition made while messages are in flight cuts
 * them too. Thread-safe; tests change it while nodes run.
 */
public final class Firewall {

    private final Set<String> blockedLinks = ConcurrentHashMap.newKeySet();
    private final Set<String> isolated = ConcurrentHashMap.newKeySet();
    private final List<Predicate<PeerMessage>> dropRules = new CopyOnWriteArrayList<>();

    /** Drops every message from {@code from} to {@code to}; the other direction still flows. */
    public void block(String from, String to) {
        blockedLinks.add(link(from, to));
    }

    /** Drops messages both ways between {@code a} and {@code b}. */
    public void blockBoth(String a, String b) {
        block(a, b);
        block(b, a);
    }

    public void unblock(String from, String to) {
        blockedLinks.remove(link(from, to));
    }

    /** Cuts {@code node} off from every other node, both ways. */
    public void isolate(String node) {
        isolated.add(node);
    }

    public void reconnect(String node) {
        isolated.remove(node);
    }

    /** Drops every message that {@code rule} matches, until {@link #heal()}. */
    public void dropIf(Predicate<PeerMessage> rule) {
        dropRules.add(rule);
    }

    /** Lifts every block, isolation and drop rule. */
    public void heal() {
        blockedLinks.clear();
        isolated.clear();
        dropRules.clear();
    }

    public boolean allows(PeerMessage message) {
        String from = message.from();
        String to = message.to();
        if (isolated.contains(from) || isolated.contains(to) || blockedLinks.contains(link(from, to))) {
            return false;
        }
        for (Predicate<PeerMessage> rule : dropRules) {
            if (rule.test(message)) {
                return false;
            }
        }
        return true;
    }

    private static String link(String from, String to) {
        return from + "\u0000" + to;
    }
}
