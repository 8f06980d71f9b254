package io.quorum.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.KeeperException;

/**
 * ZooKeeper through Curator: {@code --connections} Curator clients (one ZooKeeper session and TCP
 * connection each, which pipelines many requests), client {@code c} on connection
 * {@code c % connections}. Keys are znodes {@code /bench/<key>}; a put is {@code setData}, or
 * {@code create} when the znode is absent; a linearizable get is {@code sync} then
 * {@code getData} (ZooKeeper's reads are otherwise served by the member's replica), a stale one
 * {@code getData} alone. Locks are Curator's {@link InterProcessMutex} under {@code /bench-locks};
 * its acquire blocks and a mutex must be released by the thread that acquired it, so each lock
 * client has a thread of its own.
 */
final class ZooKeeperTarget implements Target {

    private final List<CuratorFramework> connections = new ArrayList<>();
    private final Duration timeout;

    ZooKeeperTarget(BenchOptions options) throws InterruptedException {
        this.timeout = options.timeout();
        String connectString = String.join(",", options.endpoints().stream()
                .map(e -> e.strip().replaceFirst("^[a-z]+://", "")).toList());
        for (int i = 0; i < options.connections(); i++) {
            CuratorFramework curator = CuratorFrameworkFactory.newClient(connectString, 30_000, 15_000,
                    new RetryNTimes(3, 100));
            connections.add(curator);
            curator.start();
            if (!curator.blockUntilConnected(15, TimeUnit.SECONDS)) {
                close();
                throw new BenchFailure("connection", "no ZooKeeper server answered at " + connectString);
            }
        }
    }

    private CuratorFramework connection(int client) {
        return connections.get(Math.floorMod(client, connections.size()));
    }

    private static String path(String key) {
        return "/bench/" + key;
    }

    /** Completes {@code done} from a background callback: OK, else a failure named after ZooKeeper's code. */
    private static boolean failed(CuratorEvent event, CompletableFuture<Void> done) {
        if (event.getResultCode() == KeeperException.Code.OK.intValue()) {
            return false;
        }
        done.completeExceptionally(new BenchFailure("zookeeper " + KeeperException.Code.get(event.getResultCode()),
                event.getPath()));
        return true;
    }

    @Override
    public CompletableFuture<Void> put(int client, String key, byte[] value) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        setData(connection(client), path(key), value, done, true);
        return done;
    }

    private void setData(CuratorFramework curator, String path, byte[] value, CompletableFuture<Void> done,
            boolean mayCreate) {
        try {
            curator.setData().inBackground((c, event) -> {
                if (mayCreate && event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                    create(curator, path, value, done);
                } else if (!failed(event, done)) {
                    done.complete(null);
                }
            }).forPath(path, value);
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
    }

    private void create(CuratorFramework curator, String path, byte[] value, CompletableFuture<Void> done) {
        try {
            curator.create().creatingParentsIfNeeded().inBackground((c, event) -> {
                if (event.getResultCode() == KeeperException.Code.NODEEXISTS.intValue()) {
                    setData(curator, path, value, done, false);
                } else if (!failed(event, done)) {
                    done.complete(null);
                }
            }).forPath(path, value);
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
    }

    @Override
    public CompletableFuture<Void> get(int client, String key, boolean stale) {
        CuratorFramework curator = connection(client);
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            if (stale) {
                getData(curator, path(key), done);
            } else {
                curator.sync().inBackground((c, event) -> {
                    if (!failed(event, done)) {
                        getData(curator, path(key), done);
                    }
                }).forPath(path(key));
            }
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private static void getData(CuratorFramework curator, String path, CompletableFuture<Void> done) {
        try {
            curator.getData().inBackground((c, event) -> {
                if (!failed(event, done)) {
                    done.complete(null);
                }
            }).forPath(path);
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
    }

    @Override
    public CompletableFuture<Locker> locker(int client) {
        return CompletableFuture.completedFuture(new MutexLocker(connection(client), client));
    }

    @Override
    public void close() {
        connections.forEach(CuratorFramework::close);
    }

    private final class MutexLocker implements Locker {
        private final CuratorFramework curator;
        private final ExecutorService thread;
        private final Map<String, InterProcessMutex> mutexes = new HashMap<>();

        MutexLocker(CuratorFramework curator, int client) {
            this.curator = curator;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "zookeeper-lock-" + client);
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public CompletableFuture<Void> acquire(String lock) {
            return CompletableFuture.runAsync(() -> {
                InterProcessMutex mutex = mutexes.computeIfAbsent(lock, l -> new InterProcessMutex(curator, "/bench-locks/" + l));
                try {
                    if (!mutex.acquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new BenchFailure("timeout", "lock " + lock + " not acquired");
                    }
                } catch (BenchFailure e) {
                    throw e;
                } catch (Exception e) {
                    throw new BenchFailure(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
                }
            }, thread);
        }

        @Override
        public CompletableFuture<Void> release(String lock) {
            return CompletableFuture.runAsync(() -> {
                try {
                    mutexes.get(lock).release();
                } catch (Exception e) {
                    throw new BenchFailure(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
                }
            }, thread);
        }

        @Override
        public CompletableFuture<Void> close() {
            thread.shutdown();
            return CompletableFuture.completedFuture(null);
        }
    }
}
