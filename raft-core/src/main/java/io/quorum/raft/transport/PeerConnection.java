package io.quorum.raft.transport;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbound half of one link: a bounded queue of encoded frames for one peer, and the single
 * TCP connection that carries them, opened on the first frame and reopened with backoff after it
 * breaks. The peer never writes on this connection; its messages to us arrive on a connection it
 * opened itself, so each direction has one connection and no handshake decides who owns it.
 *
 * <p>Threads: {@link #offer} runs on any thread and only touches the queue and its atomic
 * counters. Everything else, socket state included, runs on the transport's event-loop context,
 * so nothing here takes a lock.
 *
 * <p>Order: frames leave in the order they were offered. Frames handed to a socket that then
 * breaks are lost; later frames go out on the next connection, so the peer sees an in-order
 * sequence with gaps, which Raft's retries absorb.
 *
 * <p>While the peer is unreachable, frames wait in the queue up to its bounds and later sends are
 * dropped. Keeping them rather than discarding them on each failed attempt means a brief outage
 * (a peer restarting) loses nothing that fit; the bound keeps a long one from costing memory.
 */
final class PeerConnection {

    private static final Logger log = LoggerFactory.getLogger(PeerConnection.class);

    enum Offer { QUEUED, QUEUE_FULL, CLOSED }

    private final String peerId;
    private final String host;
    private final int port;
    private final Context context;
    private final NetClient client;
    private final TransportConfig config;
    private final TransportCounters counters;
    private final Backoff backoff;

    private final Queue<Buffer> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedMessages = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private volatile boolean closed;

    // Confined to the context.
    private NetSocket socket;
    private boolean connecting;
    private long reconnectTimer = -1;
    private boolean reportedDown;

    PeerConnection(String peerId, String host, int port, Context context, NetClient client, TransportConfig config,
                   TransportCounters counters, Backoff backoff) {
        this.peerId = peerId;
        this.host = host;
        this.port = port;
        this.context = context;
        this.client = client;
        this.config = config;
        this.counters = counters;
        this.backoff = backoff;
    }

    String address() {
        return host + ":" + port;
    }

    int queuedMessages() {
        return queuedMessages.get();
    }

    /** Whether a frame could be queued now; lets the sender skip encoding one that would be dropped. */
    boolean hasRoom() {
        return queuedMessages.get() < config.maxQueuedMessages() && queuedBytes.get() < config.maxQueuedBytes();
    }

    /**
     * Queues one encoded frame. Any thread; never blocks. The bounds are reserved before the frame
     * is queued, so concurrent senders can never overshoot them together.
     */
    Offer offer(Buffer frame) {
        if (closed) {
            return Offer.CLOSED;
        }
        if (queuedMessages.incrementAndGet() > config.maxQueuedMessages()) {
            queuedMessages.decrementAndGet();
            return Offer.QUEUE_FULL;
        }
        if (queuedBytes.addAndGet(frame.length()) > config.maxQueuedBytes()) {
            queuedBytes.addAndGet(-frame.length());
            queuedMessages.decrementAndGet();
            return Offer.QUEUE_FULL;
        }
        queue.add(frame);
        // One flush task per burst: sends made before it runs ride in the same socket write.
        if (flushScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> flush());
        }
        return Offer.QUEUED;
    }

    /** Closes the connection and drops what is queued. Any thread; completes once the socket is closed. */
    Future<Void> close() {
        closed = true;
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            if (reconnectTimer != -1) {
                context.owner().cancelTimer(reconnectTimer);
                reconnectTimer = -1;
            }
            discardQueue();
            NetSocket s = socket;
            socket = null;
            if (s == null) {
                done.complete();
            } else {
                s.close().onComplete(ar -> done.complete());
            }
        });
        return done.future();
    }

    private void flush() {
        // Cleared before draining: a frame offered from here on schedules another flush.
        flushScheduled.set(false);
        if (closed) {
            discardQueue();
        } else if (socket == null) {
            connectIfIdle();
        } else {
            drain();
        }
    }

    /**
     * Writes batches while the socket accepts them. When its write queue is full we stop and let
     * frames wait in our bounded queue; the drain handler resumes here.
     */
    private void drain() {
        NetSocket s = socket;
        while (s != null && !s.writeQueueFull()) {
            Buffer batch = nextBatch();
            if (batch == null) {
                return;
            }
            s.write(batch);
        }
    }

    /** Up to maxBatchBytes of queued frames in one buffer; a frame larger than that goes alone, uncopied. */
    private Buffer nextBatch() {
        Buffer first = take();
        if (first == null) {
            return null;
        }
        int count = 1;
        Buffer batch = first;
        Buffer next;
        while ((next = queue.peek()) != null && batch.length() + next.length() <= config.maxBatchBytes()) {
            if (batch == first) {
                // Sized for a burst of small messages; it grows towards maxBatchBytes if more wait.
                batch = Buffer.buffer(Math.min(config.maxBatchBytes(), 16 * 1024)).appendBuffer(first);
            }
            batch.appendBuffer(take());
            count++;
        }
        counters.sent.add(count);
        return batch;
    }

    private Buffer take() {
        Buffer frame = queue.poll();
        if (frame != null) {
            queuedMessages.decrementAndGet();
            queuedBytes.addAndGet(-frame.length());
        }
        return frame;
    }

    private void discardQueue() {
        Buffer frame;
        while ((frame = take()) != null) {
            counters.droppedOther.increment();
        }
    }

    private void connectIfIdle() {
        if (closed || connecting || reconnectTimer != -1 || queue.isEmpty()) {
            return;
        }
        connecting = true;
        client.connect(port, host).onComplete(ar -> {
            connecting = false;
            if (ar.succeeded()) {
                onConnected(ar.result());
            } else {
                counters.connectFailures.increment();
                if (!reportedDown) {
                    reportedDown = true;
                    log.warn("Cannot connect to peer {} at {}: {}; retrying with backoff", peerId, address(),
                            ar.cause().getMessage());
                }
                scheduleReconnect();
            }
        });
    }

    private void onConnected(NetSocket s) {
        if (closed) {
            s.close();
            return;
        }
        if (config.tls() != null && !PeerTls.namesOf(s).contains(peerId)) {
            // The CA vouched for the certificate, but not for this member: a wrong address in the
            // configuration, or someone else listening there. Nothing is sent to it.
            counters.connectFailures.increment();
            if (!reportedDown) {
                reportedDown = true;
                log.warn("Peer {} at {} presented a certificate for {}, not for {}; not sending to it, retrying with backoff",
                        peerId, address(), PeerTls.namesOf(s), peerId);
            }
            s.close();
            scheduleReconnect();
            return;
        }
        if (reportedDown) {
            log.info("Connected to peer {} at {}", peerId, address());
            reportedDown = false;
        }
        backoff.reset();
        socket = s;
        // Nothing is expected from the peer on this connection; whatever comes is ignored.
        s.handler(ignored -> { });
        s.drainHandler(v -> drain());
        s.exceptionHandler(e -> log.debug("Connection to peer {} failed: {}", peerId, e.toString()));
        s.closeHandler(v -> onClosed(s));
        drain();
    }

    private void onClosed(NetSocket s) {
        if (socket != s) {
            return;
        }
        socket = null;
        if (!closed) {
            log.info("Connection to peer {} at {} closed; reconnecting on demand", peerId, address());
            reportedDown = true;
            scheduleReconnect();
        }
    }

    /** Reconnects after a backoff delay if there is anything to send; otherwise the next send connects. */
    private void scheduleReconnect() {
        if (closed || queue.isEmpty()) {
            return;
        }
        long delay = backoff.nextDelayMillis();
        reconnectTimer = context.owner().setTimer(delay, id -> {
            reconnectTimer = -1;
            connectIfIdle();
        });
    }
}
