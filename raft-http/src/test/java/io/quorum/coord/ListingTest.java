package io.quorum.coord;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListingTest {

    private final Harness h = new Harness();

    @BeforeEach
    void keys() {
        for (String key : List.of("app/a", "app/b/x", "app/b/y", "app/b-c", "app/c/z", "app.d", "apple", "zoo")) {
            h.put(key, key);
        }
    }

    private static List<String> keysOf(ListPage page) {
        return page.items().stream().map(ListPage.Item::key).toList();
    }

    @Test
    void aPrefixIsAPlainStringPrefix() {
        assertThat(keysOf(h.sm.list("app", false, null, 0)))
                .containsExactly("app.d", "app/a", "app/b-c", "app/b/x", "app/b/y", "app/c/z", "apple");
        assertThat(keysOf(h.sm.list("", false, null, 0))).hasSize(8);
        assertThat(keysOf(h.sm.list("nothing", false, null, 0))).isEmpty();
    }

    @Test
    void itemsCarryVersionModIndexAndSize() {
        h.put("app/a", "longer");
        ListPage page = h.sm.list("app/a", false, null, 0);
        assertThat(page.items()).containsExactly(new ListPage.Item("app/a", 2, 9, 6));
        assertThat(page.index()).isEqualTo(9);
        assertThat(page.more()).isFalse();
    }

    @Test
    void theDelimiterFoldsDeeperKeysIntoOneItemPerLevel() {
        ListPage page = h.sm.list("app/", true, null, 0);
        assertThat(keysOf(page)).containsExactly("app/a", "app/b-c", "app/b/", "app/c/");
        assertThat(page.items().get(2)).isEqualTo(new ListPage.Item("app/b/", 0, 0, 0));
        assertThat(keysOf(h.sm.list("", true, null, 0))).containsExactly("app.d", "app/", "apple", "zoo");
    }

    @Test
    void pagesFollowOneAnotherWithoutGapsOrRepeats() {
        ListPage first = h.sm.list("app/", false, null, 2);
        assertThat(keysOf(first)).containsExactly("app/a", "app/b-c");
        assertThat(first.more()).isTrue();
        ListPage second = h.sm.list("app/", false, "app/b-c", 2);
        assertThat(keysOf(second)).containsExactly("app/b/x", "app/b/y");
        assertThat(second.more()).isTrue();
        ListPage third = h.sm.list("app/", false, "app/b/y", 2);
        assertThat(keysOf(third)).containsExactly("app/c/z");
        assertThat(third.more()).isFalse();
    }

    @Test
    void pagingAfterAFoldedLevelSkipsAllOfItsKeys() {
        ListPage first = h.sm.list("app/", true, null, 3);
        assertThat(keysOf(first)).containsExactly("app/a", "app/b-c", "app/b/");
        assertThat(first.more()).isTrue();
        ListPage second = h.sm.list("app/", true, "app/b/", 3);
        assertThat(keysOf(second)).containsExactly("app/c/");
        assertThat(second.more()).isFalse();
    }

    @Test
    void aPageThatEndsExactlyAtTheLastItemSaysNoMore() {
        ListPage page = h.sm.list("app/c", false, null, 1);
        assertThat(keysOf(page)).containsExactly("app/c/z");
        assertThat(page.more()).isFalse();
    }

    @Test
    void afterBeforeThePrefixStartsAtThePrefix() {
        assertThat(keysOf(h.sm.list("zoo", false, "a", 0))).containsExactly("zoo");
    }
}
