package io.quorum.coord;

import java.util.List;

/**
 * One page of a listing: {@code {"index","items","more"}}. With the {@code /} delimiter, keys
 * below the next level are folded into one item whose key ends with {@code /} (a valid key never
 * does) and whose version, modIndex and size are 0. {@code more} is true when items follow the
 * last one returned; pass its key as {@code after} for the next page.
 */
public record ListPage(long index, List<Item> items, boolean more) {

    public ListPage {
        items = List.copyOf(items);
    }

    public record Item(String key, long version, long modIndex, int size) {}
}
