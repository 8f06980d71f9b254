package io.quorum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.RaftStatus;
import io.quorum.raft.protocol.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadershipHandoverTest {

    private static RaftStatus status(String id, Role role, List<String> voters, Map<String, Long> match) {
        return new RaftStatus(id, role, 3, role == Role.LEADER ? id : "n1", 10, 10, 10, Membership.ofVoters(voters), match);
    }

    @Test
    void theMostCaughtUpOtherVoterTakesOver() {
        RaftStatus leader = status("n1", Role.LEADER, List.of("n1", "n2", "n3"), Map.of("n1", 10L, "n2", 7L, "n3", 9L));
        assertThat(LeadershipHandover.successor(leader)).contains("n3");
    }

    @Test
    void amongEquallyCaughtUpVotersTheLowestIdTakesOver() {
        RaftStatus leader = status("n2", Role.LEADER, List.of("n1", "n2", "n3"), Map.of("n1", 9L, "n2", 10L, "n3", 9L));
        assertThat(LeadershipHandover.successor(leader)).contains("n1");
    }

    @Test
    void aVoterWithNoKnownMatchStillQualifiesWhenItIsTheOnlyOther() {
        RaftStatus leader = status("n1", Role.LEADER, List.of("n1", "n2"), Map.of("n1", 10L));
        assertThat(LeadershipHandover.successor(leader)).contains("n2");
    }

    @Test
    void noSuccessorForAFollowerOrASingleVoter() {
        assertThat(LeadershipHandover.successor(status("n2", Role.FOLLOWER, List.of("n1", "n2", "n3"), Map.of()))).isEmpty();
        assertThat(LeadershipHandover.successor(status("n1", Role.LEADER, List.of("n1"), Map.of("n1", 10L)))).isEmpty();
        assertThat(LeadershipHandover.successor(null)).isEmpty();
    }
}
