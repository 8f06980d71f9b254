package io.quorum.raft.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.raft.testing.Await;
import io.quorum.raft.testing.TestCertificates;
import io.quorum.raft.testing.TestCertificates.Authority;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateReloaderTest {

    private static final Authority CA = TestCertificates.authority("reload-ca");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Vertx vertx = Vertx.vertx();
    private final List<TlsMaterial> applied = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void aRenewedCertificateIsHandedOverOnceAndAHalfWrittenOneWaitsForItsKey() throws Exception {
        PemFiles files = CA.issue("n1", List.of(), List.of()).write(dir, "n1", CA.writeCertificate(dir));
        TlsMaterial initial = TlsMaterial.load(files);
        CertificateReloader reloader = CertificateReloader.start(vertx, "test", initial, Duration.ofMillis(20), m -> {
            applied.add(m);
            return Future.succeededFuture();
        });
        try {
            // A renewal written in two steps: the new certificate first, its key a moment later.
            PemFiles renewal = CA.issue("n1", List.of("renewed"), List.of()).write(dir.resolve("next"), "n1", null);
            Files.copy(renewal.certFile(), files.certFile(), StandardCopyOption.REPLACE_EXISTING);
            awaitChecks(reloader, 2);
            assertThat(applied).as("a certificate without its key is not used").isEmpty();
            Files.copy(renewal.keyFile(), files.keyFile(), StandardCopyOption.REPLACE_EXISTING);
            Await.until(WAIT, () -> applied.size() == 1, () -> "the completed renewal is applied");
            assertThat(CertificateNames.of(applied.get(0).certificate())).contains("renewed");
            awaitChecks(reloader, 3);
            assertThat(applied).as("unchanged files are not applied again").hasSize(1);
        } finally {
            reloader.stop();
        }
    }

    @Test
    void materialTheEndpointRefusesIsNotRetriedUntilTheFilesChangeAgain() throws Exception {
        PemFiles files = CA.issue("n1", List.of(), List.of()).write(dir, "n1", CA.writeCertificate(dir));
        CertificateReloader reloader = CertificateReloader.start(vertx, "test", TlsMaterial.load(files),
                Duration.ofMillis(20), m -> {
                    applied.add(m);
                    return Future.failedFuture("refused");
                });
        try {
            PemFiles renewal = CA.issue("n1", List.of("renewed"), List.of()).write(dir.resolve("next"), "n1", null);
            Files.copy(renewal.keyFile(), files.keyFile(), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewal.certFile(), files.certFile(), StandardCopyOption.REPLACE_EXISTING);
            Await.until(WAIT, () -> applied.size() == 1, () -> "the renewal is offered");
            awaitChecks(reloader, 3);
            assertThat(applied).hasSize(1);
        } finally {
            reloader.stop();
        }
    }

    /** Waits until {@code more} checks have completed after now. */
    private static void awaitChecks(CertificateReloader reloader, int more) {
        long target = reloader.completedChecks() + more;
        Await.until(WAIT, () -> reloader.completedChecks() >= target, () -> "the reloader checked " + more + " more times");
    }
}
