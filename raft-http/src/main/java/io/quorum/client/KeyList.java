package io.quorum.client;

import java.util.List;

/**
 * One page of a listing: {@code more} is true when keys follow the last item; pass its key as
 * {@code after} for the next page. With the {@code /} delimiter, deeper keys are folded into one
 * item whose key ends with {@code /}.
 */
public record KeyList(long index, List<Item> items, boolean more) {

    public KeyList {
        items = List.copyOf(items);
    }

    public record Item(String key, long version, long modIndex, int size) {}
}
