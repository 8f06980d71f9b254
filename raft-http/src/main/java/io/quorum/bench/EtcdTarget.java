package io.quorum.bench;

import com.google.protobuf.ByteString;
import io.grpc.ChannelCredentials;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.quorum.bench.etcd.v3.KVGrpc;
import io.quorum.bench.etcd.v3.LeaseGrantRequest;
import io.quorum.bench.etcd.v3.LeaseGrpc;
import io.quorum.bench.etcd.v3.LeaseRevokeRequest;
import io.quorum.bench.etcd.v3.LockGrpc;
import io.quorum.bench.etcd.v3.LockRequest;
import io.quorum.bench.etcd.v3.PutRequest;
import io.quorum.bench.etcd.v3.RangeRequest;
import io.quorum.bench.etcd.v3.UnlockRequest;
import io.quorum.client.DurationText;
import io.quorum.raft.tls.TlsMaterial;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * etcd over its native v3 gRPC API, as etcd's own clients speak it: {@code etcdserverpb.KV/Put}
 * and {@code Range}, {@code etcdserverpb.Lease/LeaseGrant} and {@code LeaseRevoke},
 * {@code v3lockpb.Lock/Lock} and {@code Unlock} (stubs generated from the subset of etcd's protos
 * in {@code src/main/proto}). Keys are {@code bench/<key>}. A linearizable get is the default
 * range, a stale one {@code serializable}; a range without a key value fails as "not found". A lock
 * client holds a lease that outlives the run, locks with it, unlocks with the key that Lock
 * returned, and revokes the lease when closed. Each call has the deadline {@code --timeout} and,
 * as in etcd's Go client, waits for its channel to be ready rather than failing at once while the
 * connection is down; a failed call counts under its gRPC status code.
 *
 * <p>{@code --connections} channels (HTTP/2 connections), channel {@code i} to endpoint
 * {@code i % endpoints}, client {@code c} on channel {@code c % connections}: gRPC multiplexes any
 * number of outstanding calls on one channel, so one per endpoint is the default, as etcd's
 * clients hold one connection. Answers are delivered on gRPC's transport threads (direct
 * executor): the driver's callbacks do not block. Endpoints {@code http://host:port} (or
 * {@code host:port}) are plaintext; {@code https://host:port} is TLS with the CA and client
 * certificate of {@code --cacert --cert --key} (the JVM's trust store when no CA is given),
 * verifying that the server's certificate names the host, as etcd's Go client does. The TLS is the
 * JDK's: quorum.jar leaves out grpc-netty-shaded's BoringSSL builds, and Quorum's own HTTPS client
 * here is the JDK's too.
 *
 * <p>gRPC Java rather than jetcd: jetcd-core brings Vert.x 4, which cannot share quorum.jar with
 * Vert.x 5; grpc-netty-shaded keeps its Netty apart from the one Vert.x 5 uses.
 */
final class EtcdTarget implements Target {

    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(15);

    private final List<ManagedChannel> channels;
    private final List<KVGrpc.KVStub> kv = new ArrayList<>();
    private final List<LeaseGrpc.LeaseStub> lease = new ArrayList<>();
    private final List<LockGrpc.LockStub> lock = new ArrayList<>();
    private final long timeoutNanos;
    private final long leaseTtlSeconds;

    /** @throws BenchFailure when a channel is not connected within 15 s (no etcd member answers there) */
    EtcdTarget(BenchOptions options) throws InterruptedException {
        this(openChannels(options.endpoints(), options.connections(), options.tls()), options.timeout(),
                options.sessionLifetime());
        try {
            awaitReady(channels, CONNECT_WAIT);
        } catch (BenchFailure | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** Over channels opened elsewhere (an in-process server in tests); closes them in {@link #close()}. */
    EtcdTarget(List<ManagedChannel> channels, Duration timeout, Duration leaseLifetime) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("no channel");
        }
        this.channels = List.copyOf(channels);
        for (ManagedChannel channel : this.channels) {
            kv.add(KVGrpc.newStub(channel).withWaitForReady());
            lease.add(LeaseGrpc.newStub(channel).withWaitForReady());
            lock.add(LockGrpc.newStub(channel).withWaitForReady());
        }
        this.timeoutNanos = timeout.toNanos();
        this.leaseTtlSeconds = Math.max(1, leaseLifetime.toSeconds());
    }

    /** {@code connections} channels, plaintext or TLS as each endpoint's scheme says; not connected yet. */
    static List<ManagedChannel> openChannels(List<String> endpoints, int connections, TlsMaterial tls) {
        List<URI> addresses = endpoints.stream().map(EtcdTarget::address).toList();
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            URI address = addresses.get(i % addresses.size());
            channels.add(Grpc.newChannelBuilderForAddress(address.getHost(), address.getPort(), credentials(address, tls))
                    .directExecutor().build());
        }
        return channels;
    }

    /** None for http; for https the CA of {@code tls} (else the JVM's trust store) and its certificate, if any. */
    private static ChannelCredentials credentials(URI address, TlsMaterial tls) {
        if (!"https".equals(address.getScheme())) {
            return InsecureChannelCredentials.create();
        }
        TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder();
        if (tls != null && tls.hasTrustedCa()) {
            credentials.trustManager(tls.trustManagers());
        }
        if (tls != null && tls.hasCertificate()) {
            credentials.keyManager(tls.keyManagers());
        }
        return credentials.build();
    }

    /**
     * Connects every channel and waits until all are ready, so that an endpoint where no etcd
     * answers fails the setup instead of every call of the run waiting out its deadline.
     *
     * @throws BenchFailure of kind {@code connection} when a channel is not ready within {@code wait}
     */
    static void awaitReady(List<ManagedChannel> channels, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (ManagedChannel channel : channels) {
            ConnectivityState state = channel.getState(true);
            while (state != ConnectivityState.READY) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new BenchFailure("connection", "no etcd member answered at " + channel.authority()
                            + " within " + DurationText.format(wait) + " (channel " + state + ")");
                }
                CountDownLatch changed = new CountDownLatch(1);
                channel.notifyWhenStateChanged(state, changed::countDown);
                changed.await(left, TimeUnit.NANOSECONDS);
                state = channel.getState(true);
            }
        }
    }

    /** {@code host:port}, {@code http://host:port} or {@code https://host:port}. */
    static URI address(String endpoint) {
        String text = endpoint.strip();
        URI uri;
        try {
            uri = URI.create(text.contains("://") ? text : "http://" + text);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getPort() < 0 || !(uri.getPath() == null || uri.getPath().isEmpty() || "/".equals(uri.getPath()))) {
            throw new IllegalArgumentException("not a host:port, http://host:port or https://host:port endpoint: " + endpoint);
        }
        return uri;
    }

    private static ByteString key(String key) {
        return ByteString.copyFromUtf8("bench/" + key);
    }

    private int channel(int client) {
        return Math.floorMod(client, channels.size());
    }

    private KVGrpc.KVStub kv(int client) {
        return kv.get(channel(client)).withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private LeaseGrpc.LeaseStub lease(int client) {
        return lease.get(channel(client)).withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private LockGrpc.LockStub lock(int client) {
        return lock.get(channel(client)).withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public CompletableFuture<Void> put(int client, String key, byte[] value) {
        PutRequest request = PutRequest.newBuilder().setKey(key(key)).setValue(ByteString.copyFrom(value)).build();
        return GrpcCall.call(kv(client)::put, request).thenApply(response -> null);
    }

    @Override
    public CompletableFuture<Void> get(int client, String key, boolean stale) {
        RangeRequest request = RangeRequest.newBuilder().setKey(key(key)).setSerializable(stale).build();
        return GrpcCall.call(kv(client)::range, request).thenApply(response -> {
            if (response.getKvsCount() == 0) {
                throw new BenchFailure("not found", key);
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Locker> locker(int client) {
        LeaseGrantRequest request = LeaseGrantRequest.newBuilder().setTTL(leaseTtlSeconds).build();
        return GrpcCall.call(lease(client)::leaseGrant, request).thenApply(response -> {
            if (!response.getError().isEmpty()) {
                throw new BenchFailure("lease grant", response.getError());
            }
            return new LeaseLocker(client, response.getID());
        });
    }

    /** Shuts every channel down, waiting a few seconds for calls still open, then cuts them off. */
    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdown);
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        try {
            for (ManagedChannel channel : channels) {
                channel.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    private final class LeaseLocker implements Locker {
        private final int client;
        private final long leaseId;
        /** The key etcd made for the held lock; acquire and release alternate, so one is enough. */
        private volatile ByteString ownerKey = ByteString.EMPTY;

        LeaseLocker(int client, long leaseId) {
            this.client = client;
            this.leaseId = leaseId;
        }

        @Override
        public CompletableFuture<Void> acquire(String name) {
            LockRequest request = LockRequest.newBuilder().setName(key(name)).setLease(leaseId).build();
            return GrpcCall.call(lock(client)::lock, request).thenApply(response -> {
                ownerKey = response.getKey();
                return null;
            });
        }

        @Override
        public CompletableFuture<Void> release(String name) {
            UnlockRequest request = UnlockRequest.newBuilder().setKey(ownerKey).build();
            return GrpcCall.call(lock(client)::unlock, request).thenApply(response -> null);
        }

        @Override
        public CompletableFuture<Void> close() {
            LeaseRevokeRequest request = LeaseRevokeRequest.newBuilder().setID(leaseId).build();
            return GrpcCall.call(lease(client)::leaseRevoke, request).handle((response, failure) -> null);
        }
    }
}
