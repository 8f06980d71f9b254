package io.quorum.coord;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The keys and their values, in key order. Knows nothing of sessions, locks or rules: {@link
 * KvCommands} decides what may be written, this class only stores it and answers listings.
 */
final class KeyStore {

    /** One stored key. {@code owner} is the ephemeral owner session or {@link Command#NO_SESSION}. */
    record StoredKey(byte[] value, long version, long createIndex, long modIndex, long owner) {}

    private final TreeMap<String, StoredKey> keys = new TreeMap<>();

    StoredKey get(String key) {
        return keys.get(key);
    }

    /** Writes {@code value} at {@code index}: version 1 and createIndex = index on create, else version + 1. */
    StoredKey write(String key, byte[] value, long index, long owner) {
        StoredKey old = keys.get(key);
        StoredKey now = old == null
                ? new StoredKey(value, 1, index, index, owner)
                : new StoredKey(value, old.version() + 1, old.createIndex(), index, owner);
        keys.put(key, now);
        return now;
    }

    /** Restores a key exactly as a snapshot recorded it. */
    void restore(String key, StoredKey stored) {
        keys.put(key, stored);
    }

    StoredKey remove(String key) {
        return keys.remove(key);
    }

    int size() {
        return keys.size();
    }

    NavigableMap<String, StoredKey> all() {
        return Collections.unmodifiableNavigableMap(keys);
    }

    /**
     * The keys starting with {@code prefix} (a plain string prefix, as etcd and Consul list) that
     * sort after {@code after}, at most {@code limit} items ({@code limit <= 0}: all). With {@code
     * foldAtSlash}, every key with a {@code /} after the prefix is folded into one item for its
     * next level, {@code prefix + segment + "/"}, which sorts where its keys begin; paging after
     * such an item skips all of its keys.
     */
    ListPage list(String prefix, boolean foldAtSlash, String after, int limit, long index) {
        List<ListPage.Item> items = new ArrayList<>();
        String from = after != null && after.compareTo(prefix) >= 0 ? after : prefix;
        boolean inclusive = !from.equals(after);
        String key = inclusive ? keys.ceilingKey(from) : keys.higherKey(from);
        while (key != null && key.startsWith(prefix)) {
            int slash = foldAtSlash ? key.indexOf('/', prefix.length()) : -1;
            String itemKey = slash < 0 ? key : key.substring(0, slash + 1);
            boolean folded = slash >= 0;
            if (after == null || itemKey.compareTo(after) > 0) {
                if (limit > 0 && items.size() == limit) {
                    return new ListPage(index, items, true);
                }
                StoredKey k = keys.get(key);
                items.add(folded
                        ? new ListPage.Item(itemKey, 0, 0, 0)
                        : new ListPage.Item(key, k.version(), k.modIndex(), k.value().length));
            }
            // Past every key of a folded level: '0' is the character after '/'.
            key = folded ? keys.ceilingKey(itemKey.substring(0, itemKey.length() - 1) + '0') : keys.higherKey(key);
        }
        return new ListPage(index, items, false);
    }
}
