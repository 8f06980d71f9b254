package io.quorum.raft.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Which directed links are cut. The named shapes are the partitions a real network produces:
 * two halves, a bridge (two sides that both reach one middle node), a ring, one isolated node,
 * and partial connectivity (a random set of links cut, some only one way).
 */
public final class Topology {

    private final Set<String> cut = new HashSet<>();

    public boolean connected(String from, String to) {
        return cut.isEmpty() || !cut.contains(from + ">" + to);
    }

    public boolean healthy() {
        return cut.isEmpty();
    }

    public void heal() {
        cut.clear();
    }

    public void cutOneWay(String from, String to) {
        cut.add(from + ">" + to);
    }

    private void cutBoth(String a, String b) {
        cutOneWay(a, b);
        cutOneWay(b, a);
    }

    /** Splits the nodes into two random non-empty groups that cannot talk to each other. */
    public String halves(List<String> nodes, SplittableRandom random) {
        List<String> shuffled = shuffled(nodes, random);
        int split = 1 + random.nextInt(nodes.size() - 1);
        List<String> a = shuffled.subList(0, split);
        List<String> b = shuffled.subList(split, shuffled.size());
        heal();
        a.forEach(x -> b.forEach(y -> cutBoth(x, y)));
        return "halves " + a + " | " + b;
    }

    /** Two sides that cannot reach each other, both connected to one bridge node. */
    public String bridge(List<String> nodes, SplittableRandom random) {
        List<String> shuffled = shuffled(nodes, random);
        String bridge = shuffled.get(0);
        List<String> rest = shuffled.subList(1, shuffled.size());
        int split = rest.size() / 2;
        List<String> a = rest.subList(0, split);
        List<String> b = rest.subList(split, rest.size());
        heal();
        a.forEach(x -> b.forEach(y -> cutBoth(x, y)));
        return "bridge " + a + " <" + bridge + "> " + b;
    }

    /** Each node reaches only its two neighbours in a random ring. */
    public String ring(List<String> nodes, SplittableRandom random) {
        List<String> ring = shuffled(nodes, random);
        heal();
        int n = ring.size();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int d = Math.abs(i - j);
                if (i != j && d != 1 && d != n - 1) {
                    cutOneWay(ring.get(i), ring.get(j));
                }
            }
        }
        return "ring " + ring;
    }

    public String isolate(List<String> nodes, String node) {
        heal();
        nodes.stream().filter(x -> !x.equals(node)).forEach(x -> cutBoth(x, node));
        return "isolate " + node;
    }

    /** Cuts each directed link with probability {@code p}. */
    public String partial(List<String> nodes, SplittableRandom random, double p) {
        heal();
        List<String> cutNow = new ArrayList<>();
        for (String a : nodes) {
            for (String b : nodes) {
                if (!a.equals(b) && random.nextDouble() < p) {
                    cutOneWay(a, b);
                    cutNow.add(a + ">" + b);
                }
            }
        }
        Collections.sort(cutNow);
        return "partial " + cutNow;
    }

    private static List<String> shuffled(List<String> nodes, SplittableRandom random) {
        List<String> copy = new ArrayList<>(nodes);
        for (int i = copy.size() - 1; i > 0; i--) {
            Collections.swap(copy, i, random.nextInt(i + 1));
        }
        return copy;
    }
}
