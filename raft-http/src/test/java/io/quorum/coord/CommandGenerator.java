package io.quorum.coord;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random commands over a small world (a few keys, lock keys and sessions) so that collisions are
 * common: CAS races, fences with live and stale tokens, sessions that expire while queued, stale
 * due-work proposals. Arguments are drawn from the reference model's state so most commands are
 * meaningful, with a share of unknown sessions and bad arguments.
 */
final class CommandGenerator {

    static final List<String> KEYS = List.of("a", "a/b", "a/c", "a/b/c", "a.b", "b/x", "k");
    static final List<String> LOCK_KEYS = List.of("a", "L1", "L2/x");
    static final List<String> MEMBERS = List.of("n1", "n2", "", "n3");
    static final List<String> PREFIXES = List.of("", "a", "a/", "a/b", "b/", "k", "z");

    private final SplittableRandom random;
    private final ReferenceModel model;
    private final List<Long> tokensSeen = new ArrayList<>();

    CommandGenerator(SplittableRandom random, ReferenceModel model) {
        this.random = random;
        this.model = model;
    }

    Command next() {
        int roll = random.nextInt(100);
        if (roll < 18) {
            return put();
        } else if (roll < 25) {
            return new Command.Delete(key(), expectedVersion(), fence());
        } else if (roll < 33) {
            long[] ttls = {500, 2_000, 5_000, 10_000, 30_000};
            long[] delays = {0, 0, 700, 3_000, -5};
            return new Command.OpenSession(ttls[random.nextInt(ttls.length)], delays[random.nextInt(delays.length)]);
        } else if (roll < 41) {
            return new Command.KeepAlive(session());
        } else if (roll < 44) {
            return new Command.CloseSession(session());
        } else if (roll < 65) {
            long[] waits = {0, 400, 2_000, 5_000, 20_000};
            return new Command.Acquire(lockKey(), session(), random.nextBoolean() ? LockMode.EXCLUSIVE : LockMode.SHARED,
                    waits[random.nextInt(waits.length)]);
        } else if (roll < 76) {
            return new Command.Release(lockKey(), session());
        } else if (roll < 80) {
            return new Command.CancelWait(lockKey(), session());
        } else if (roll < 85) {
            return new Command.ExpireSessions(List.of(session(), session()));
        } else if (roll < 90) {
            return new Command.ExpireWaits(List.of(new WaitRef(lockKey(), session())));
        } else if (roll < 94) {
            return new Command.ClearLockDelays(List.of(lockKey()));
        } else if (roll < 96) {
            return new Command.LeaderChanged();
        } else if (roll < 98) {
            String[] addrs = {"", "127.0.0.1:7001", "127.0.0.1:7002", "h:1".repeat(64)};
            return new Command.Advertise(MEMBERS.get(random.nextInt(MEMBERS.size())), addrs[random.nextInt(addrs.length)]);
        }
        return new Command.Put(random.nextBoolean() ? "bad//key" : "../x", new byte[1], Command.ANY_VERSION, 0, null);
    }

    /** How far the leader's clock moves before the next entry; now and then it is behind (a new leader). */
    long clockStep() {
        int roll = random.nextInt(100);
        if (roll < 5) {
            return -random.nextInt(3_000);
        }
        return roll < 85 ? random.nextInt(300) : random.nextInt(4_000);
    }

    void sawTokens(List<Event> events) {
        events.stream().filter(e -> e.type() == EventType.LOCK).forEach(e -> tokensSeen.add(e.token()));
    }

    String prefix() {
        return PREFIXES.get(random.nextInt(PREFIXES.size()));
    }

    String after() {
        int roll = random.nextInt(4);
        return roll == 0 ? null : roll == 1 ? "a/b/" : key();
    }

    int limit() {
        return random.nextInt(4);
    }

    boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private Command put() {
        byte[] value = new byte[random.nextInt(20)];
        random.nextBytes(value);
        long owner = chance(30) ? session() : Command.NO_SESSION;
        return new Command.Put(key(), value, expectedVersion(), owner, fence());
    }

    private String key() {
        return KEYS.get(random.nextInt(KEYS.size()));
    }

    private String lockKey() {
        return LOCK_KEYS.get(random.nextInt(LOCK_KEYS.size()));
    }

    private long session() {
        if (model.sessions.isEmpty() || chance(4)) {
            return 1 + random.nextInt(Math.max(1, (int) model.index + 1));
        }
        List<Long> ids = new ArrayList<>(model.sessions.keySet());
        return ids.get(random.nextInt(ids.size()));
    }

    private long expectedVersion() {
        int roll = random.nextInt(10);
        if (roll < 5) {
            return Command.ANY_VERSION;
        } else if (roll < 7) {
            return Command.ABSENT;
        }
        return 1 + random.nextInt(3);
    }

    private Fence fence() {
        if (!chance(20) || tokensSeen.isEmpty()) {
            return null;
        }
        return new Fence(lockKey(), tokensSeen.get(random.nextInt(tokensSeen.size())));
    }
}
