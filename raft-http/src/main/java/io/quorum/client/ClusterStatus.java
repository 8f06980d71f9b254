package io.quorum.client;

import java.util.List;

/**
 * {@code GET /v1/cluster}: the answering node's view. {@code matchIndex} of a member is known on
 * the leader only (null elsewhere); {@code httpAddr} only for the answering node.
 */
public record ClusterStatus(String id, String leader, long term, long commitIndex, long appliedIndex,
                            List<Member> members) {

    public ClusterStatus {
        members = List.copyOf(members);
    }

    /** {@code role}: {@code leader}, {@code follower}, {@code candidate} or {@code learner}. */
    public record Member(String id, String raftAddr, String httpAddr, String role, boolean voter, Long matchIndex) {}
}
