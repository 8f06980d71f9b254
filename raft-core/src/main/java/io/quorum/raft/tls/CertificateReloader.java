package io.quorum.raft.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks up renewed certificate files without a restart, as etcd does: every {@code interval} it
 * reads an endpoint's {@link PemFiles} again and, when their bytes changed and the new material
 * passes {@link TlsMaterial}'s checks, hands it to the endpoint, whose new connections use it from
 * then on; open connections keep what they were established with.
 *
 * <p>A renewal is often two writes (certificate, then key): between them the pair does not match,
 * the check refuses it, the old material stays in use, and the next read finds the finished pair.
 * A refused set of files is logged once, not at every interval.
 *
 * <p>Files are read and parsed on a worker thread; the endpoint is handed the material on the
 * event loop of the context that started the reloader. Polling was chosen over a file-system
 * watch: Kubernetes renews a mounted Secret by swapping a symlink, which watches on the files
 * themselves miss, and a read of three small files every few seconds costs nothing.
 */
public final class CertificateReloader {

    private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);
    /** How often files are read again: a renewal is in use within this time, well inside a minute. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final String endpoint;
    private final Function<TlsMaterial, Future<?>> apply;
    private final long timer;
    // Confined to the event loop of the starting context.
    private TlsMaterial current;
    private PemFiles.Contents refused;
    private boolean checking;
    private volatile long completedChecks;

    private CertificateReloader(Vertx vertx, String endpoint, TlsMaterial initial, Duration interval,
                                Function<TlsMaterial, Future<?>> apply) {
        this.vertx = vertx;
        this.endpoint = endpoint;
        this.current = initial;
        this.apply = apply;
        this.timer = vertx.setPeriodic(interval.toMillis(), id -> check());
    }

    /**
     * Starts checking {@code initial}'s files every {@code interval}.
     *
     * @param endpoint what the material is for, in log lines ("peer transport", "HTTP API")
     * @param apply    installs new material in the endpoint; its future says whether it took
     */
    public static CertificateReloader start(Vertx vertx, String endpoint, TlsMaterial initial, Duration interval,
                                            Function<TlsMaterial, Future<?>> apply) {
        return new CertificateReloader(vertx, endpoint, initial, interval, apply);
    }

    /** How many times the files were read and judged so far (tests wait on it). */
    long completedChecks() {
        return completedChecks;
    }

    /** Stops checking. Any thread. */
    public void stop() {
        vertx.cancelTimer(timer);
    }

    private void check() {
        if (checking) {
            return;
        }
        checking = true;
        TlsMaterial inUse = current;
        PemFiles.Contents refusedBefore = refused;
        vertx.executeBlocking(() -> read(inUse, refusedBefore), false)
                .compose(this::installIfNew)
                .onComplete(done -> {
                    checking = false;
                    completedChecks++;
                    if (done.failed()) {
                        log.warn("{}: cannot read the certificate files again, keeping the current ones: {}", endpoint,
                                done.cause().getMessage());
                    }
                });
    }

    /** On a worker: the files as they are now, and the material they make if they changed and pass its checks. */
    private static Candidate read(TlsMaterial inUse, PemFiles.Contents refusedBefore) {
        PemFiles files = inUse.files();
        PemFiles.Contents contents = files.read();
        if (inUse.sameContentAs(contents) || contents.sameAs(refusedBefore)) {
            return new Candidate(contents, null, null);
        }
        try {
            return new Candidate(contents, TlsMaterial.parse(files, contents), null);
        } catch (TlsException e) {
            return new Candidate(contents, null, e);
        }
    }

    private Future<Void> installIfNew(Candidate candidate) {
        if (candidate.problem() != null) {
            refused = candidate.contents();
            log.warn("{}: the certificate files changed but cannot be used yet, keeping the current ones: {}", endpoint,
                    candidate.problem().getMessage());
            return Future.succeededFuture();
        }
        TlsMaterial material = candidate.material();
        if (material == null) {
            return Future.succeededFuture();
        }
        return apply.apply(material).transform(done -> {
            if (done.succeeded()) {
                current = material;
                log.info("{}: certificate files reloaded; new connections use {}", endpoint, material.describe());
                String validity = material.validityProblem();
                if (validity != null) {
                    log.warn("{}: {}", endpoint, validity);
                }
            } else {
                refused = candidate.contents();
                log.warn("{}: reloaded certificate files were refused, keeping the current ones: {}", endpoint,
                        done.cause().getMessage());
            }
            return Future.<Void>succeededFuture();
        });
    }

    private record Candidate(PemFiles.Contents contents, TlsMaterial material, TlsException problem) {
    }
}
