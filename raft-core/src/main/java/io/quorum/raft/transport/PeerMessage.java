package io.quorum.raft.transport;

import io.quorum.raft.protocol.Message;

import java.util.Arrays;
import java.util.Objects;

/**
 * What travels between nodes over the {@link Transport}: the protocol's own messages, the two
 * messages by which a follower serves a client's proposal through the leader (ARCHITECTURE.md
 * rule 5), and the two by which it serves an administrator's membership change or leadership
 * transfer the same way. Keeping forwarding here rather than in {@link Message} keeps the protocol
 * unaware of clients.
 */
public sealed interface PeerMessage {

    /** The sending node's id. */
    String from();

    /** The receiving node's id; the transport routes on it. */
    String to();

    /** A protocol message. */
    record RaftFrame(Message message) implements PeerMessage {
        public RaftFrame {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String from() {
            return message.from();
        }

        @Override
        public String to() {
            return message.to();
        }
    }

    /**
     * A follower forwarding a client's command to the leader it knows. {@code requestId} is chosen
     * by the follower and is unique among its outstanding forwards; the leader echoes it in the
     * {@link ForwardResult}. The command is owned by the message once built: nobody mutates it.
     */
    record ForwardProposal(String from, String to, long requestId, byte[] command) implements PeerMessage {
        public ForwardProposal {
            Objects.requireNonNull(command, "command");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ForwardProposal p
                    && Objects.equals(p.from, from)
                    && Objects.equals(p.to, to)
                    && p.requestId == requestId
                    && Arrays.equals(p.command, command);
        }

        @Override
        public int hashCode() {
            return Objects.hash(from, to, requestId) * 31 + Arrays.hashCode(command);
        }

        @Override
        public String toString() {
            return "ForwardProposal[" + from + "->" + to + " #" + requestId + " " + command.length + "B]";
        }
    }

    /**
     * The leader's answer to a {@link ForwardProposal}. With {@link ForwardStatus#ACCEPTED},
     * {@code index}/{@code term} name the log position the command was appended at (the follower
     * answers its client once it has applied that entry itself); otherwise they are 0.
     * {@code leaderHint} names the leader the sender believes in, or is null when it knows none.
     * {@code status} is a {@link ForwardStatus} code; {@link #outcome()} reads it.
     */
    record ForwardResult(String from, String to, long requestId, long index, long term, byte status,
                         String leaderHint) implements PeerMessage {

        public ForwardResult {
            ForwardStatus.fromCode(status);
        }

        public static ForwardResult accepted(String from, String to, long requestId, long index, long term) {
            return new ForwardResult(from, to, requestId, index, term, ForwardStatus.ACCEPTED.code(), null);
        }

        public static ForwardResult rejected(String from, String to, long requestId, ForwardStatus status,
                                             String leaderHint) {
            if (status == ForwardStatus.ACCEPTED) {
                throw new IllegalArgumentException("an accepted result carries an index: use accepted()");
            }
            return new ForwardResult(from, to, requestId, 0, 0, status.code(), leaderHint);
        }

        public ForwardStatus outcome() {
            return ForwardStatus.fromCode(status);
        }
    }

    /**
     * A follower passing an administrator's request to the leader it knows: {@code memberId} is the
     * member to add or remove, or the transfer's target; {@code address} is the new member's raft
     * address for {@link AdminOp#ADD_MEMBER} and empty otherwise. {@code requestId} is chosen by the
     * follower; the leader echoes it in the {@link AdminResult} once the request is decided.
     */
    record ForwardAdmin(String from, String to, long requestId, AdminOp op, String memberId, String address)
            implements PeerMessage {
        public ForwardAdmin {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(memberId, "memberId");
            address = address == null ? "" : address;
        }
    }

    /**
     * The leader's answer to a {@link ForwardAdmin}, sent once the request is decided. With
     * {@link AdminStatus#DONE}, {@code value} is the committed entry's index for a member change
     * and the new leader's term for a transfer; otherwise 0. {@code leaderHint} names the leader
     * the sender believes in, or is null; {@code message} says what happened, for a person.
     */
    record AdminResult(String from, String to, long requestId, AdminStatus status, long value, String leaderHint,
                       String message) implements PeerMessage {
        public AdminResult {
            Objects.requireNonNull(status, "status");
            message = message == null ? "" : message;
        }
    }
}
