package io.quorum.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.coord.Command;
import io.quorum.coord.CommandCodec;
import io.quorum.coord.StampedCommand;
import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.EntryType;
import io.quorum.raft.protocol.Message;
import io.quorum.raft.testing.Await;
import io.quorum.raft.transport.AdminOp;
import io.quorum.raft.transport.PeerCodec;
import io.quorum.raft.transport.PeerMessage;
import io.quorum.raft.transport.PeerMessage.RaftFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stranger on the Raft port of a plaintext cluster (scenario 17): forged frames sent on raw
 * sockets to every node, leader and followers, and what the cluster does after them. Each frame
 * must be dropped and counted under its reason in {@code quorum_raft_frames_rejected_total} (or,
 * for bytes that are no frame, close that connection only); afterwards every node is healthy and
 * ready, a write through every node commits, nothing a forged forward asked for happened, and
 * leadership still moves. One line per frame is printed as {@code hostile-frame …} for the record.
 */
class StrangerOnRaftPortIT {

    @RegisterExtension
    static final ProcessClusterExtension CLUSTER = new ProcessClusterExtension(3);

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final PeerCodec CODEC = new PeerCodec();
    private static final Pattern SAMPLE = Pattern.compile(
            "^quorum_raft_frames_rejected_total\\{reason=\"([a-z_]+)\"[^}]*\\}\\s+(\\S+)$", Pattern.MULTILINE);

    /** One forged input: its name, the bytes for a node (given its id and another member's), and the reason it must count under. */
    record Hostile(String name, Function<Target, byte[]> bytes, String reason, boolean closesConnection) {
    }

    record Target(String id, String member) {
    }

    private static List<Hostile> hostileInputs() {
        long max = Long.MAX_VALUE;
        byte[] stolenPut = CommandCodec.encode(new StampedCommand(0, new Command.Put("hostile/stolen",
                "x".getBytes(StandardCharsets.UTF_8), Command.ANY_VERSION, Command.NO_SESSION, null)));
        Entry forgedEntry = new Entry(max, 1_000_000, EntryType.NORMAL, stolenPut);
        return List.of(
                frame("Heartbeat, term 2^63-1, from a non-member", t -> new RaftFrame(
                        new Message.Heartbeat("intruder", t.id(), max, 0, 0)), "not_a_member"),
                frame("Heartbeat, term 2^63-1, claiming a member's id", t -> new RaftFrame(
                        new Message.Heartbeat(t.member(), t.id(), max, 0, 0)), "term_overflow"),
                frame("VoteRequest, term 2^63-1, claiming a member's id", t -> new RaftFrame(
                        new Message.VoteRequest(t.member(), t.id(), max, max, max, false, true)), "term_overflow"),
                frame("AppendEntries with a put, from a non-member", t -> new RaftFrame(
                        new Message.AppendEntries("intruder", t.id(), max, 999_999, max, List.of(forgedEntry), 1_000_000)),
                        "not_a_member"),
                frame("TimeoutNow from a non-member", t -> new RaftFrame(new Message.TimeoutNow("intruder", t.id(), 1)),
                        "not_a_member"),
                frame("Heartbeat with a null sender id", t -> new RaftFrame(new Message.Heartbeat(null, t.id(), 1, 0, 0)),
                        "missing_id"),
                frame("Heartbeat with an empty sender id", t -> new RaftFrame(new Message.Heartbeat("", t.id(), 1, 0, 0)),
                        "missing_id"),
                frame("ForwardProposal of a put, from a non-member",
                        t -> new PeerMessage.ForwardProposal("intruder", t.id(), 1, stolenPut), "not_a_member"),
                frame("ForwardAdmin removing a member, from a non-member",
                        t -> new PeerMessage.ForwardAdmin("intruder", t.id(), 2, AdminOp.REMOVE_MEMBER, t.member(), ""),
                        "not_a_member"),
                frame("ForwardAdmin transferring leadership, from a non-member",
                        t -> new PeerMessage.ForwardAdmin("intruder", t.id(), 3, AdminOp.TRANSFER_LEADERSHIP, t.member(), ""),
                        "not_a_member"),
                new Hostile("4 KiB of random bytes", t -> random(4096), "malformed", true),
                new Hostile("a length field of 2^31-1", t -> new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 1},
                        "malformed", true));
    }

    private static Hostile frame(String name, Function<Target, PeerMessage> message, String reason) {
        return new Hostile(name, t -> CODEC.encode(message.apply(t)).getBytes(), reason, false);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(17).nextBytes(bytes);
        bytes[0] = 0x40; // a length field far beyond what follows, so the stream is not a frame
        return bytes;
    }

    @Test
    void forgedFramesAreDroppedAndCountedAndTheClusterStaysHealthyWritableAndMovable() throws Exception {
        ProcessCluster cluster = CLUSTER.cluster();
        NodeProcess leader = cluster.leader();
        long termBefore = term(leader);
        List<String> table = new ArrayList<>();

        for (Hostile hostile : hostileInputs()) {
            for (NodeProcess node : cluster.nodes()) {
                Target target = new Target(node.id(), cluster.anotherThan(node).id());
                double before = rejected(node, hostile.reason());
                boolean closed = send(node, hostile.bytes().apply(target), hostile.closesConnection());
                Await.until("node " + node.id() + " counts '" + hostile.name() + "' as " + hostile.reason(), WAIT,
                        () -> rejected(node, hostile.reason()) >= before + 1);
                assertThat(closed).as(hostile.name() + " closes the connection").isEqualTo(hostile.closesConnection());
            }
            cluster.nodes().forEach(cluster::awaitReady);
            NodeProcess now = cluster.leader();
            table.add(String.format("hostile-frame %-55s answer=%-32s leader=%s term=%d ready=3/3", hostile.name(),
                    (hostile.closesConnection() ? "connection closed, " : "dropped, ") + hostile.reason(), now.id(), term(now)));
        }
        table.forEach(System.out::println);

        NodeProcess after = cluster.leader();
        assertThat(term(after)).as("no forged term was adopted").isLessThan(termBefore + 10);
        for (NodeProcess node : cluster.nodes()) {
            assertThat(node.http().get("/health").status()).isEqualTo(200);
            Http.Answer put = node.http().put("/v1/kv/after-strangers/" + node.id(), "still writable");
            assertThat(put.status()).as("write through " + node.id() + ": " + put).isEqualTo(200);
        }
        assertThat(after.http().get("/v1/kv/hostile/stolen").status()).as("the forged forward wrote nothing").isEqualTo(404);
        assertThat(after.http().get("/v1/cluster").json().path("members")).as("no member was removed").hasSize(3);

        NodeProcess successor = cluster.anotherThan(after);
        Http.Answer transfer = after.http().post("/v1/cluster/leader", "{\"to\":\"" + successor.id() + "\"}",
                "Content-Type", "application/json");
        assertThat(transfer.status()).as(transfer.toString()).isEqualTo(200);
        Await.until("leadership moved to " + successor.id(), WAIT,
                () -> cluster.currentLeader().map(l -> l == successor).orElse(false));
        System.out.println("hostile-frame summary frames=" + hostileInputs().size() + " nodes=3 term-before=" + termBefore
                + " term-after=" + term(successor) + " writes-after=3/3 transfer=" + after.id() + "->" + successor.id());
    }

    /**
     * Writes {@code bytes} on a fresh connection to the node's Raft port; whether the node then
     * closed it. A close that is expected gets 10 s to arrive; one that is not, 200 ms to show up.
     */
    private static boolean send(NodeProcess node, byte[] bytes, boolean closeExpected) throws IOException {
        try (Socket raw = new Socket("127.0.0.1", node.listenPort())) {
            OutputStream out = raw.getOutputStream();
            out.write(bytes);
            out.flush();
            raw.setSoTimeout(closeExpected ? 10_000 : 200);
            InputStream in = raw.getInputStream();
            try {
                return in.read() == -1;
            } catch (SocketTimeoutException stillOpen) {
                return false;
            } catch (SocketException reset) {
                return true;
            }
        }
    }

    private static long term(NodeProcess node) {
        return node.http().get("/v1/cluster").json().path("term").asLong();
    }

    private static double rejected(NodeProcess node, String reason) {
        Matcher m = SAMPLE.matcher(node.http().get("/metrics").text());
        while (m.find()) {
            if (m.group(1).equals(reason)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no quorum_raft_frames_rejected_total{reason=\"" + reason + "\"} on " + node.id());
    }
}
