package io.quorum.raft.protocol;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A cluster configuration: the voters, whose majority decides elections and commits, and the
 * learners, who receive the log but do not vote. Immutable; {@link #apply(ConfChange)} returns a
 * new value. Addresses are carried for the node shell; the protocol never reads them.
 */
public record Membership(SortedSet<String> voters, SortedSet<String> learners, SortedMap<String, String> addresses) {

    public static final Membership EMPTY = new Membership(new TreeSet<>(), new TreeSet<>(), new TreeMap<>());

    public Membership {
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
        addresses = Collections.unmodifiableSortedMap(new TreeMap<>(addresses));
        for (String learner : learners) {
            if (voters.contains(learner)) {
                throw new IllegalArgumentException(learner + " is both voter and learner");
            }
        }
    }

    /** A configuration of voters only, without addresses. */
    public static Membership ofVoters(Collection<String> voters) {
        return new Membership(new TreeSet<>(voters), new TreeSet<>(), new TreeMap<>());
    }

    /** A configuration of voters only, with their addresses. */
    public static Membership ofVoters(Map<String, String> votersWithAddresses) {
        return new Membership(new TreeSet<>(votersWithAddresses.keySet()), new TreeSet<>(), new TreeMap<>(votersWithAddresses));
    }

    public boolean isVoter(String id) {
        return voters.contains(id);
    }

    public boolean isLearner(String id) {
        return learners.contains(id);
    }

    public boolean contains(String id) {
        return voters.contains(id) || learners.contains(id);
    }

    /** Voters and learners, in id order. */
    public SortedSet<String> members() {
        TreeSet<String> all = new TreeSet<>(voters);
        all.addAll(learners);
        return all;
    }

    /** The number of voters that form a majority. */
    public int quorum() {
        return voters.size() / 2 + 1;
    }

    /**
     * The configuration after {@code change}.
     *
     * @throws IllegalArgumentException when the change does not fit this configuration (adding a
     *                                  present node, promoting a non-learner, removing an absent node)
     */
    public Membership apply(ConfChange change) {
        TreeSet<String> newVoters = new TreeSet<>(voters);
        TreeSet<String> newLearners = new TreeSet<>(learners);
        TreeMap<String, String> newAddresses = new TreeMap<>(addresses);
        String id = change.nodeId();
        switch (change.type()) {
            case ADD_LEARNER -> {
                if (contains(id)) {
                    throw new IllegalArgumentException(id + " is already a member");
                }
                newLearners.add(id);
                if (!change.address().isEmpty()) {
                    newAddresses.put(id, change.address());
                }
            }
            case PROMOTE -> {
                if (!isLearner(id)) {
                    throw new IllegalArgumentException(id + " is not a learner");
                }
                newLearners.remove(id);
                newVoters.add(id);
            }
            case REMOVE -> {
                if (!contains(id)) {
                    throw new IllegalArgumentException(id + " is not a member");
                }
                if (isVoter(id) && voters.size() == 1) {
                    throw new IllegalArgumentException("cannot remove the last voter " + id);
                }
                newVoters.remove(id);
                newLearners.remove(id);
                newAddresses.remove(id);
            }
        }
        return new Membership(newVoters, newLearners, newAddresses);
    }

    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(voters.size());
        for (String v : voters) {
            out.writeUTF(v);
        }
        out.writeInt(learners.size());
        for (String l : learners) {
            out.writeUTF(l);
        }
        out.writeInt(addresses.size());
        for (Map.Entry<String, String> a : addresses.entrySet()) {
            out.writeUTF(a.getKey());
            out.writeUTF(a.getValue());
        }
    }

    public static Membership readFrom(DataInput in) throws IOException {
        TreeSet<String> voters = new TreeSet<>();
        int n = checkedCount(in.readInt());
        for (int i = 0; i < n; i++) {
            voters.add(in.readUTF());
        }
        TreeSet<String> learners = new TreeSet<>();
        n = checkedCount(in.readInt());
        for (int i = 0; i < n; i++) {
            learners.add(in.readUTF());
        }
        TreeMap<String, String> addresses = new TreeMap<>();
        n = checkedCount(in.readInt());
        for (int i = 0; i < n; i++) {
            addresses.put(in.readUTF(), in.readUTF());
        }
        return new Membership(voters, learners, addresses);
    }

    private static int checkedCount(int n) throws IOException {
        if (n < 0 || n > 10_000) {
            throw new IOException("implausible member count " + n);
        }
        return n;
    }

    @Override
    public String toString() {
        return "voters=" + voters + (learners.isEmpty() ? "" : " learners=" + learners);
    }
}
