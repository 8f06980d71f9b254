package io.quorum.raft.sim;

import java.util.SplittableRandom;

/**
 * The shape of one simulated run, drawn from its seed so that seeds explore different clusters:
 * size, protocol settings, flow-control limits, disk speed, and which optional fault families run.
 *
 * @param leaderChurn      a newly elected leader is often isolated or crashed within moments, before
 *                         its first entries spread (the schedule of the paper's Figure 8)
 * @param crashWhileVoting a node whose Ready carries a granted vote is often crashed before the
 *                         write, and restarted quickly (catches votes sent before they are durable)
 */
public record SimOptions(
        int nodes,
        boolean preVote,
        boolean checkQuorum,
        int maxInflight,
        long maxAppendBytes,
        int snapshotChunkBytes,
        int tickInterval,
        int maxDiskDelay,
        boolean compaction,
        boolean membershipChanges,
        int faultPhaseLength,
        int clients,
        int keys,
        boolean leaderChurn,
        boolean crashWhileVoting) {

    public static SimOptions draw(SplittableRandom random) {
        boolean protections = random.nextInt(5) != 0;
        SimOptions drawn = new SimOptions(
                random.nextBoolean() ? 3 : 5,
                protections || random.nextBoolean(),
                protections || random.nextBoolean(),
                1 + random.nextInt(8),
                random.nextBoolean() ? 1 << 20 : 40 + random.nextInt(200),
                8 + random.nextInt(120),
                10,
                random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(12),
                random.nextBoolean(),
                protections && random.nextInt(3) == 0 && !Boolean.getBoolean("sim.noMembership"),
                4000 + random.nextInt(6000),
                2 + random.nextInt(3),
                1 + random.nextInt(3),
                random.nextInt(3) == 0,
                random.nextInt(3) == 0);
        // Under leader churn, often one entry per append and one append in flight: a new leader then
        // gets an old entry onto a majority a full round trip before its own no-op (Figure 8's window).
        return drawn.leaderChurn() && random.nextBoolean() ? drawn.oneEntryPerAppend() : drawn;
    }

    private SimOptions oneEntryPerAppend() {
        return new SimOptions(nodes, preVote, checkQuorum, 1, 1, snapshotChunkBytes, tickInterval, maxDiskDelay, compaction,
                membershipChanges, faultPhaseLength, clients, keys, leaderChurn, crashWhileVoting);
    }
}
