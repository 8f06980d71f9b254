package io.quorum.coord;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.coord.Command.Delete;
import io.quorum.coord.Command.Put;
import io.quorum.coord.Result.KeyDeleted;
import io.quorum.coord.Result.KeyWritten;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyValueTest {

    private final Harness h = new Harness(new CoordConfig(100, 10, 10, 100));

    private static Put put(String key, String value, long expectedVersion) {
        return new Put(key, value.getBytes(), expectedVersion, Command.NO_SESSION, null);
    }

    @Test
    void versionStartsAtOneAndCountsWritesWhileCreateIndexStays() {
        KeyWritten first = h.put("app/config", "a");
        assertThat(first).isEqualTo(new KeyWritten("app/config", 1, 1, 1));
        h.put("other", "x");
        KeyWritten second = h.put("app/config", "b");
        assertThat(second).isEqualTo(new KeyWritten("app/config", 2, 1, 3));
        assertThat(h.sm.get("app/config")).hasValueSatisfying(v -> {
            assertThat(new String(v.value())).isEqualTo("b");
            assertThat(v.version()).isEqualTo(2);
            assertThat(v.modIndex()).isEqualTo(3);
        });
    }

    @Test
    void aKeyDeletedAndWrittenAgainStartsOver() {
        h.put("k", "a");
        h.put("k", "b");
        assertThat(h.run(new Delete("k", Command.ANY_VERSION, null))).isEqualTo(new KeyDeleted(true, 3));
        assertThat(h.sm.get("k")).isEmpty();
        assertThat(h.put("k", "c")).isEqualTo(new KeyWritten("k", 1, 4, 4));
    }

    @Test
    void deletingAnAbsentKeyAnswersFalse() {
        assertThat(h.run(new Delete("nothing", Command.ANY_VERSION, null))).isEqualTo(new KeyDeleted(false, 1));
    }

    @Test
    void compareAndSetWritesOnlyAtTheExpectedVersion() {
        h.put("k", "a");
        h.put("k", "b");
        assertThat(h.error(put("k", "stale", 1))).isEqualTo(ErrorCode.VERSION_MISMATCH);
        assertThat(h.sm.get("k").orElseThrow().version()).isEqualTo(2);
        assertThat(h.ok(put("k", "c", 2), KeyWritten.class).version()).isEqualTo(3);
        assertThat(h.error(put("absent", "x", 1))).isEqualTo(ErrorCode.VERSION_MISMATCH);
    }

    @Test
    void createOnlySucceedsOnceOnly() {
        assertThat(h.ok(put("k", "a", Command.ABSENT), KeyWritten.class).version()).isEqualTo(1);
        assertThat(h.error(put("k", "b", Command.ABSENT))).isEqualTo(ErrorCode.VERSION_MISMATCH);
        assertThat(new String(h.sm.get("k").orElseThrow().value())).isEqualTo("a");
    }

    @Test
    void deleteHonoursIfMatch() {
        h.put("k", "a");
        assertThat(h.error(new Delete("k", 7, null))).isEqualTo(ErrorCode.VERSION_MISMATCH);
        assertThat(h.error(new Delete("absent", 1, null))).isEqualTo(ErrorCode.VERSION_MISMATCH);
        assertThat(h.run(new Delete("k", 1, null))).isEqualTo(new KeyDeleted(true, 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a", "a/", "a//b", ".", "a/./b", "..", "a/..", "sp ace", "ümlaut", "a*b", "q?x"})
    void keysOutsideTheSyntaxAreInvalid(String key) {
        assertThat(h.error(put(key, "v", Command.ANY_VERSION))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(h.error(new Delete(key, Command.ANY_VERSION, null))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(h.sm.stats().keys()).isZero();
    }

    @Test
    void keyLengthLimits() {
        String segment255 = "s".repeat(255);
        assertThat(KeySyntax.isValid(segment255)).isTrue();
        assertThat(KeySyntax.isValid(segment255 + "s")).isFalse();
        String key1024 = ("s".repeat(254) + "/").repeat(4) + "xxxx";
        assertThat(key1024).hasSize(1024);
        assertThat(KeySyntax.isValid(key1024)).isTrue();
        assertThat(KeySyntax.isValid(key1024 + "x")).isFalse();
        assertThat(KeySyntax.isValid("a.b/..c/~_-/...")).isTrue();
    }

    @Test
    void valuesOverTheLimitAreTooLarge() {
        assertThat(h.ok(put("k", "v".repeat(100), Command.ANY_VERSION), KeyWritten.class).version()).isEqualTo(1);
        assertThat(h.error(put("k", "v".repeat(101), Command.ANY_VERSION))).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(h.sm.get("k").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void ephemeralKeysGoWithAClosedSession() {
        long s = h.openSession();
        h.ok(new Put("members/n1", "up".getBytes(), Command.ANY_VERSION, s, null), KeyWritten.class);
        h.ok(new Put("members/n2", "up".getBytes(), Command.ANY_VERSION, s, null), KeyWritten.class);
        h.put("members/static", "x");
        assertThat(h.sm.get("members/n1").orElseThrow().ephemeralOwner()).isEqualTo(s);
        assertThat(h.sm.session(s).orElseThrow().ephemeralKeys()).containsExactly("members/n1", "members/n2");

        Applied closed = h.apply(new Command.CloseSession(s));

        assertThat(closed.events()).extracting(Event::type, Event::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(EventType.DELETE, "members/n1"),
                        org.assertj.core.groups.Tuple.tuple(EventType.DELETE, "members/n2"));
        assertThat(h.sm.get("members/n1")).isEmpty();
        assertThat(h.sm.get("members/n2")).isEmpty();
        assertThat(h.sm.get("members/static")).isPresent();
    }

    @Test
    void ephemeralKeysGoWithAnExpiredSession() {
        long s = h.openSession(2_000, 0);
        h.ok(new Put("members/n1", "up".getBytes(), Command.ANY_VERSION, s, null), KeyWritten.class);
        h.advance(2_000);
        h.runDueWork();
        assertThat(h.sm.session(s)).isEmpty();
        assertThat(h.sm.get("members/n1")).isEmpty();
    }

    @Test
    void aPlainPutOverAnEphemeralKeyMakesItPersistent() {
        long s = h.openSession();
        h.ok(new Put("k", "a".getBytes(), Command.ANY_VERSION, s, null), KeyWritten.class);
        h.put("k", "b");
        assertThat(h.sm.session(s).orElseThrow().ephemeralKeys()).isEmpty();
        h.run(new Command.CloseSession(s));
        assertThat(h.sm.get("k").orElseThrow().ephemeralOwner()).isZero();
    }

    @Test
    void ephemeralPutWithAnUnknownSessionIsRefused() {
        assertThat(h.error(new Put("k", "a".getBytes(), Command.ANY_VERSION, 999, null)))
                .isEqualTo(ErrorCode.SESSION_NOT_FOUND);
        assertThat(h.sm.get("k")).isEmpty();
    }

    @Test
    void fencedWritesNeedTheCurrentToken() {
        long s1 = h.openSession();
        long s2 = h.openSession();
        long token1 = h.grant("locks/db", s1, LockMode.EXCLUSIVE);
        Fence fence1 = new Fence("locks/db", token1);
        assertThat(h.run(new Put("db/primary", "n1".getBytes(), Command.ANY_VERSION, Command.NO_SESSION, fence1)))
                .isInstanceOf(KeyWritten.class);

        h.ok(new Command.Release("locks/db", s1), Result.LockReleased.class);
        long token2 = h.grant("locks/db", s2, LockMode.EXCLUSIVE);
        assertThat(token2).isGreaterThan(token1);

        assertThat(h.error(new Put("db/primary", "stale".getBytes(), Command.ANY_VERSION, Command.NO_SESSION, fence1)))
                .isEqualTo(ErrorCode.FENCED);
        assertThat(h.error(new Delete("db/primary", Command.ANY_VERSION, fence1))).isEqualTo(ErrorCode.FENCED);
        assertThat(new String(h.sm.get("db/primary").orElseThrow().value())).isEqualTo("n1");
        assertThat(h.run(new Delete("db/primary", Command.ANY_VERSION, new Fence("locks/db", token2))))
                .isInstanceOf(KeyDeleted.class);
    }

    @Test
    void aFenceOnALockNobodyHoldsRefuses() {
        assertThat(h.error(new Put("k", "v".getBytes(), Command.ANY_VERSION, Command.NO_SESSION, new Fence("locks/x", 1))))
                .isEqualTo(ErrorCode.FENCED);
    }

    @Test
    void getShowsTheLockOfTheSameName() {
        long s = h.openSession();
        h.put("leader", "n1");
        long token = h.grant("leader", s, LockMode.EXCLUSIVE);
        KeyView view = h.sm.get("leader").orElseThrow();
        assertThat(view.lock().holders()).containsExactly(new LockView.Holder(s, token));
        assertThat(view.lock().mode()).isEqualTo(LockMode.EXCLUSIVE);
    }

    @Test
    void theFenceHeaderParses() {
        assertThat(Fence.parse("locks/db;42")).isEqualTo(new Fence("locks/db", 42));
        assertThat(Fence.parse(" locks/db ; 7 ")).isEqualTo(new Fence("locks/db", 7));
        for (String bad : new String[] {"locks/db", "locks/db;", "locks/db;-1", "locks/db;0", "locks/db;+3", ";5", "a//b;5",
            "locks/db;99999999999999999999", "locks/db;1x"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fence.parse(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X-Quorum-Fence");
        }
    }
}
