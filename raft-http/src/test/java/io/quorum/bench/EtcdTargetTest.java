package io.quorum.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quorum.bench.etcd.v3.KVGrpc;
import io.quorum.bench.etcd.v3.KeyValue;
import io.quorum.bench.etcd.v3.LeaseGrantRequest;
import io.quorum.bench.etcd.v3.LeaseGrantResponse;
import io.quorum.bench.etcd.v3.LeaseGrpc;
import io.quorum.bench.etcd.v3.LeaseRevokeRequest;
import io.quorum.bench.etcd.v3.LeaseRevokeResponse;
import io.quorum.bench.etcd.v3.LockGrpc;
import io.quorum.bench.etcd.v3.LockRequest;
import io.quorum.bench.etcd.v3.LockResponse;
import io.quorum.bench.etcd.v3.PutRequest;
import io.quorum.bench.etcd.v3.PutResponse;
import io.quorum.bench.etcd.v3.RangeRequest;
import io.quorum.bench.etcd.v3.RangeResponse;
import io.quorum.bench.etcd.v3.UnlockRequest;
import io.quorum.bench.etcd.v3.UnlockResponse;
import io.quorum.raft.testing.TestCertificates;
import io.quorum.raft.testing.TestCertificates.Authority;
import io.quorum.raft.tls.PemFiles;
import io.quorum.raft.tls.TlsMaterial;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@link EtcdTarget} against an etcd stand-in served in-process over gRPC: a map for KV, counting
 * leases, and a Lock that answers at once with the key {@code name/lease} (but never for one
 * lock name). The requests it received
 * are kept for the assertions. The in-process transport has no TLS: for https endpoints the same
 * stand-in is served by gRPC's Netty server on loopback with TLS and client certificates required.
 */
class EtcdTargetTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** A lock the stand-in never grants: its Lock call stays unanswered. */
    private static final String NEVER_GRANTED = "held-forever";

    private final Map<ByteString, ByteString> store = new ConcurrentHashMap<>();
    private final List<Object> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong nextLease = new AtomicLong(7);
    /** When set, every call fails with it. */
    private final AtomicReference<Status> failWith = new AtomicReference<>();

    private String serverName;
    private Server server;
    private EtcdTarget target;

    @BeforeEach
    void start() throws Exception {
        serverName = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(serverName).directExecutor()
                .addService(new FakeKv()).addService(new FakeLease()).addService(new FakeLock())
                .build().start();
        List<ManagedChannel> channels = List.of(InProcessChannelBuilder.forName(serverName).directExecutor().build(),
                InProcessChannelBuilder.forName(serverName).directExecutor().build());
        target = new EtcdTarget(channels, TIMEOUT, Duration.ofSeconds(90));
    }

    @AfterEach
    void stop() throws InterruptedException {
        target.close();
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    private boolean failed(StreamObserver<?> answer) {
        Status status = failWith.get();
        if (status != null) {
            answer.onError(status.asRuntimeException());
        }
        return status != null;
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static String kindOfFailure(CompletableFuture<?> future) {
        Throwable[] failure = new Throwable[1];
        assertThatThrownBy(() -> await(future)).satisfies(t -> failure[0] = t);
        return BenchFailure.kindOf(failure[0]);
    }

    private <T> List<T> received(Class<T> type) {
        return requests.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static ByteString utf8(String text) {
        return ByteString.copyFromUtf8(text);
    }

    @Test
    void theStubsCallEtcdsOwnMethodNames() {
        assertThat(List.of(KVGrpc.getPutMethod(), KVGrpc.getRangeMethod(), LeaseGrpc.getLeaseGrantMethod(),
                LeaseGrpc.getLeaseRevokeMethod(), LockGrpc.getLockMethod(), LockGrpc.getUnlockMethod()))
                .extracting(MethodDescriptor::getFullMethodName)
                .containsExactly("etcdserverpb.KV/Put", "etcdserverpb.KV/Range", "etcdserverpb.Lease/LeaseGrant",
                        "etcdserverpb.Lease/LeaseRevoke", "v3lockpb.Lock/Lock", "v3lockpb.Lock/Unlock");
    }

    @Test
    void aPutIsFoundByALinearizableGetUnderTheBenchPrefix() throws Exception {
        await(target.put(3, "k1", "v1".getBytes(StandardCharsets.UTF_8)));
        await(target.get(4, "k1", false));

        assertThat(store).containsEntry(utf8("bench/k1"), utf8("v1"));
        RangeRequest range = received(RangeRequest.class).get(0);
        assertThat(range.getKey()).isEqualTo(utf8("bench/k1"));
        assertThat(range.getSerializable()).isFalse();
    }

    @Test
    void aStaleGetIsASerializableRange() throws Exception {
        await(target.put(0, "k2", new byte[] {1, 2}));
        await(target.get(1, "k2", true));

        assertThat(received(RangeRequest.class)).singleElement()
                .satisfies(range -> assertThat(range.getSerializable()).isTrue());
    }

    @Test
    void aGetOfAMissingKeyFailsAsNotFound() {
        assertThat(kindOfFailure(target.get(0, "absent", false))).isEqualTo("not found");
    }

    @Test
    void aLockerLocksWithItsLeaseUnlocksTheReturnedKeyAndRevokesOnClose() throws Exception {
        Target.Locker locker = await(target.locker(2));
        LeaseGrantRequest grant = received(LeaseGrantRequest.class).get(0);
        assertThat(grant.getTTL()).isEqualTo(90);

        await(locker.acquire("l1"));
        await(locker.release("l1"));
        await(locker.close());

        assertThat(received(LockRequest.class)).singleElement().satisfies(lock -> {
            assertThat(lock.getName()).isEqualTo(utf8("bench/l1"));
            assertThat(lock.getLease()).isEqualTo(7);
        });
        assertThat(received(UnlockRequest.class)).singleElement()
                .satisfies(unlock -> assertThat(unlock.getKey()).isEqualTo(utf8("bench/l1/7")));
        assertThat(received(LeaseRevokeRequest.class)).singleElement()
                .satisfies(revoke -> assertThat(revoke.getID()).isEqualTo(7));
    }

    @Test
    void aServerErrorFailsTheOperationWithItsStatusCode() throws Exception {
        Target.Locker locker = await(target.locker(0));
        failWith.set(Status.UNAVAILABLE.withDescription("etcdserver: no leader"));

        assertThat(kindOfFailure(target.put(0, "k", new byte[1]))).isEqualTo("UNAVAILABLE");
        assertThat(kindOfFailure(target.get(1, "k", false))).isEqualTo("UNAVAILABLE");
        assertThat(kindOfFailure(locker.acquire("l"))).isEqualTo("UNAVAILABLE");
        assertThat(kindOfFailure(target.locker(1))).isEqualTo("UNAVAILABLE");
        assertThat(await(locker.close())).as("closing a locker never fails").isNull();
    }

    @Test
    void aCallWithoutAnAnswerFailsAtItsDeadline() throws Exception {
        ManagedChannel channel = InProcessChannelBuilder.forName(serverName).directExecutor().build();
        try (EtcdTarget impatient = new EtcdTarget(List.of(channel), Duration.ofMillis(100), Duration.ofSeconds(90))) {
            Target.Locker locker = await(impatient.locker(0));

            assertThat(kindOfFailure(locker.acquire(NEVER_GRANTED))).isEqualTo("DEADLINE_EXCEEDED");
        }
    }

    @Test
    void setupWaitsForEveryChannelAndFailsWhenNoMemberAnswers() throws Exception {
        ManagedChannel served = InProcessChannelBuilder.forName(serverName).directExecutor().build();
        ManagedChannel nowhere = InProcessChannelBuilder.forName("nobody-" + serverName).directExecutor().build();
        try {
            EtcdTarget.awaitReady(List.of(served), TIMEOUT);
            assertThat(served.getState(false)).isEqualTo(ConnectivityState.READY);

            assertThatThrownBy(() -> EtcdTarget.awaitReady(List.of(served, nowhere), Duration.ofMillis(200)))
                    .isInstanceOfSatisfying(BenchFailure.class, f -> assertThat(f.kind()).isEqualTo("connection"))
                    .hasMessageContaining("no etcd member answered");
        } finally {
            served.shutdownNow();
            nowhere.shutdownNow();
        }
    }

    /** The stand-in on a loopback port over TLS, requiring a client certificate from the CA of {@code server}. */
    private Server tlsStandIn(TlsMaterial server) throws Exception {
        ServerCredentials credentials = TlsServerCredentials.newBuilder().keyManager(server.keyManagers())
                .trustManager(server.trustManagers()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build();
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials).directExecutor()
                .addService(new FakeKv()).addService(new FakeLease()).addService(new FakeLock()).build().start();
    }

    @Test
    void httpsEndpointsSpeakTlsWithTheCaAndTheClientCertificate(@TempDir Path dir) throws Exception {
        Authority ca = TestCertificates.authority("etcd-ca");
        Path caFile = ca.writeCertificate(dir);
        PemFiles client = ca.issue("bench", List.of(), List.of()).write(dir, "client", caFile);
        Server tls = tlsStandIn(TlsMaterial.load(TestCertificates.localServer(ca, "e1").write(dir, "e1", caFile)));
        String endpoint = "https://127.0.0.1:" + tls.getPort();
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs("put", "--target", "etcd", "--endpoints", endpoint, "--cacert",
                caFile.toString(), "--cert", client.certFile().toString(), "--key", client.keyFile().toString());
        List<ManagedChannel> withoutCertificate = EtcdTarget.openChannels(List.of(endpoint), 1,
                TlsMaterial.load(new PemFiles(null, null, caFile)));
        try (Target overTls = Targets.open(command.options())) {
            await(overTls.put(0, "tls", "v".getBytes(StandardCharsets.UTF_8)));
            await(overTls.get(0, "tls", false));
            assertThat(store).containsEntry(utf8("bench/tls"), utf8("v"));

            assertThatThrownBy(() -> EtcdTarget.awaitReady(withoutCertificate, Duration.ofSeconds(1)))
                    .as("the server requires a client certificate").isInstanceOf(BenchFailure.class)
                    .hasMessageContaining("no etcd member answered");
        } finally {
            withoutCertificate.forEach(ManagedChannel::shutdownNow);
            tls.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void endpointsAreHostPortOrHttpOrHttpsUrls() {
        assertThat(EtcdTarget.address("127.0.0.1:2379").getPort()).isEqualTo(2379);
        assertThat(EtcdTarget.address(" http://localhost:12399 ").getHost()).isEqualTo("localhost");
        assertThat(EtcdTarget.address("https://127.0.0.1:2379").getScheme()).isEqualTo("https");
        for (String bad : List.of("127.0.0.1", "grpc://127.0.0.1:2379", "http://127.0.0.1:2379/v3", "::")) {
            assertThatThrownBy(() -> EtcdTarget.address(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("host:port");
        }
    }

    private final class FakeKv extends KVGrpc.KVImplBase {
        @Override
        public void put(PutRequest request, StreamObserver<PutResponse> answer) {
            requests.add(request);
            if (!failed(answer)) {
                store.put(request.getKey(), request.getValue());
                answer.onNext(PutResponse.getDefaultInstance());
                answer.onCompleted();
            }
        }

        @Override
        public void range(RangeRequest request, StreamObserver<RangeResponse> answer) {
            requests.add(request);
            if (!failed(answer)) {
                RangeResponse.Builder response = RangeResponse.newBuilder();
                ByteString value = store.get(request.getKey());
                if (value != null) {
                    response.addKvs(KeyValue.newBuilder().setKey(request.getKey()).setValue(value)).setCount(1);
                }
                answer.onNext(response.build());
                answer.onCompleted();
            }
        }
    }

    private final class FakeLease extends LeaseGrpc.LeaseImplBase {
        @Override
        public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> answer) {
            requests.add(request);
            if (!failed(answer)) {
                answer.onNext(LeaseGrantResponse.newBuilder().setID(nextLease.getAndIncrement())
                        .setTTL(request.getTTL()).build());
                answer.onCompleted();
            }
        }

        @Override
        public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> answer) {
            requests.add(request);
            if (!failed(answer)) {
                answer.onNext(LeaseRevokeResponse.getDefaultInstance());
                answer.onCompleted();
            }
        }
    }

    private final class FakeLock extends LockGrpc.LockImplBase {
        @Override
        public void lock(LockRequest request, StreamObserver<LockResponse> answer) {
            requests.add(request);
            if (request.getName().equals(utf8("bench/" + NEVER_GRANTED))) {
                return;
            }
            if (!failed(answer)) {
                ByteString key = request.getName().concat(utf8("/" + request.getLease()));
                answer.onNext(LockResponse.newBuilder().setKey(key).build());
                answer.onCompleted();
            }
        }

        @Override
        public void unlock(UnlockRequest request, StreamObserver<UnlockResponse> answer) {
            requests.add(request);
            if (!failed(answer)) {
                answer.onNext(UnlockResponse.getDefaultInstance());
                answer.onCompleted();
            }
        }
    }
}
