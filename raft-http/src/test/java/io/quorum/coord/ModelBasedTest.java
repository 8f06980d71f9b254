package io.quorum.coord;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random command sequences, applied to the state machine and to {@link ReferenceModel}:
 * after every command the results, the events and the whole visible state must agree, the lock
 * invariants must hold, and the leader's due work must be the same. Each seed then checks
 * determinism: a replay into a fresh instance, and a snapshot taken part-way, restored and
 * continued, end with the same state hash. A failure names its seed and step; rerun one seed
 * with {@code -Dcoord.seed=S}.
 */
class ModelBasedTest {

    static final int SEEDS = Integer.getInteger("coord.seeds", 300);
    static final int STEPS = 300;
    static final CoordConfig CONFIG = new CoordConfig(16, 6, 3, 40);
    private static final AtomicLong commandsChecked = new AtomicLong();
    /** How often each kind of result came up, to see that the generator reaches every rule. */
    private static final Map<String, Integer> outcomes = new TreeMap<>();

    static LongStream seeds() {
        Long one = Long.getLong("coord.seed");
        return one != null ? LongStream.of(one) : LongStream.range(0, SEEDS);
    }

    @AfterAll
    static void report() {
        System.out.println("ModelBasedTest: " + commandsChecked.get() + " commands checked against the model; outcomes " + outcomes);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theStateMachineAgreesWithTheModel(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        CoordStateMachine sm = new CoordStateMachine(CONFIG);
        ReferenceModel model = new ReferenceModel(CONFIG);
        CommandGenerator gen = new CommandGenerator(random, model);
        LockSafetyChecker safety = new LockSafetyChecker();
        List<Entry> log = new ArrayList<>();
        long clock = 1_000_000;
        long index = 0;
        int snapshotAt = 1 + random.nextInt(STEPS);
        byte[] snapshot = null;
        while (log.size() < STEPS) {
            clock = Math.max(0, clock + gen.clockStep());
            List<Command> batch = new ArrayList<>();
            if (gen.chance(25)) {
                List<Command> due = sm.dueWork(clock);
                assertThat(due).as("seed %d: due work at %d", seed, clock).isEqualTo(model.dueWork(clock));
                batch.addAll(due);
            }
            batch.add(gen.next());
            for (Command command : batch) {
                index += gen.chance(10) ? 2 : 1; // a gap: a no-op or configuration entry
                String where = "seed " + seed + ", step " + log.size() + ", index " + index + ", " + command;
                byte[] payload = CommandCodec.encode(new StampedCommand(clock, command));
                log.add(new Entry(index, payload));
                Applied applied = sm.apply(index, payload);
                Result expected = model.apply(index, clock, command);
                assertThat(normalize(applied.result())).as(where).isEqualTo(normalize(expected));
                assertThat(sorted(applied.events())).as(where + ": events").isEqualTo(sorted(model.lastEvents()));
                gen.sawTokens(applied.events());
                compareState(sm, model, gen, where);
                Invariants.check(sm, where);
                safety.check(applied, sm, where);
                commandsChecked.incrementAndGet();
                tally(applied);
                if (log.size() == snapshotAt) {
                    snapshot = sm.snapshot();
                }
            }
        }
        checkDeterminism(seed, sm, log, snapshotAt, snapshot);
    }

    private static void compareState(CoordStateMachine sm, ReferenceModel model, CommandGenerator gen, String where) {
        assertThat(sm.clusterTime()).as(where).isEqualTo(model.time);
        assertThat(sm.nextDeadline()).as(where + ": next deadline").isEqualTo(model.nextDeadline());
        for (String key : CommandGenerator.KEYS) {
            assertThat(sm.get(key)).as(where + ": key " + key).isEqualTo(model.keyView(key));
        }
        for (String key : CommandGenerator.LOCK_KEYS) {
            assertThat(sm.lock(key)).as(where + ": lock " + key).isEqualTo(model.lockView(key));
        }
        assertThat(sm.sessions()).as(where + ": sessions")
                .isEqualTo(model.sessions.keySet().stream().map(model::sessionView).toList());
        assertThat(sm.memberHttpAddrs()).as(where + ": members' HTTP addresses").isEqualTo(model.httpAddrs);
        String prefix = gen.prefix();
        boolean delimiter = gen.chance(50);
        String after = gen.after();
        int limit = gen.limit();
        assertThat(sm.list(prefix, delimiter, after, limit))
                .as(where + ": list " + prefix + " delimiter=" + delimiter + " after=" + after + " limit=" + limit)
                .isEqualTo(model.list(prefix, delimiter, after, limit));
        long watchFrom = Math.max(0, model.index - 1 - gen.limit() * 3L);
        EventPage page = sm.eventsAfter(watchFrom, "", 0);
        if (!page.compacted()) {
            assertThat(sorted(page.events())).as(where + ": events after " + watchFrom)
                    .isEqualTo(sorted(model.history.stream().filter(e -> e.index() > watchFrom).toList()));
        }
    }

    /** Two replicas applying the same log agree; so does one that restored a snapshot part-way and continued. */
    private static void checkDeterminism(long seed, CoordStateMachine sm, List<Entry> log, int snapshotAt, byte[] snapshot) {
        CoordStateMachine replay = new CoordStateMachine(CONFIG);
        log.forEach(e -> replay.apply(e.index(), e.payload()));
        assertThat(replay.stateHash()).as("seed %d: two replicas applying the same log", seed).isEqualTo(sm.stateHash());

        CoordStateMachine restored = new CoordStateMachine(CONFIG);
        restored.restore(snapshot);
        assertThat(restored.snapshot()).as("seed %d: restore then snapshot gives the same bytes", seed).isEqualTo(snapshot);
        log.subList(snapshotAt, log.size()).forEach(e -> restored.apply(e.index(), e.payload()));
        assertThat(restored.stateHash()).as("seed %d: snapshot, restore, continue", seed).isEqualTo(sm.stateHash());
        assertThat(restored.appliedIndex()).isEqualTo(sm.appliedIndex());
    }

    record Entry(long index, byte[] payload) {}

    private static synchronized void tally(Applied applied) {
        Result r = applied.result();
        String kind = r instanceof Result.Failure f ? f.code().name() : r.getClass().getSimpleName();
        boolean empty = (r instanceof Result.SessionsExpired e && e.sessions().isEmpty())
                || (r instanceof Result.WaitsCancelled w && w.waits().isEmpty())
                || (r instanceof Result.LockDelaysCleared d && d.keys().isEmpty());
        outcomes.merge(kind + (empty ? "(none)" : ""), 1, Integer::sum);
        applied.events().forEach(e -> outcomes.merge("event:" + e.type().apiName(), 1, Integer::sum));
    }

    private static Object normalize(Result r) {
        return r instanceof Result.Failure f ? List.of(f.code(), f.holders()) : r;
    }

    private static List<Event> sorted(List<Event> events) {
        return events.stream().sorted(Comparator.comparing(Event::toString)).toList();
    }
}
