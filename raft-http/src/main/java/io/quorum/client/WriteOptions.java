package io.quorum.client;

/**
 * The conditions of a put or a delete (API.md, "Keys and small files"); build with the
 * {@code with…} methods from {@link #NONE}.
 *
 * @param ifMatch the version the key must have ({@code If-Match}), or null
 * @param ifNoneMatch create only ({@code If-None-Match: *}); puts only
 * @param ephemeralSession the session whose end deletes the key ({@code ?session=&ephemeral=true}), or 0; puts only
 * @param fenceKey the lock whose holder alone may write ({@code X-Quorum-Fence}), or null
 * @param fenceToken that holder's fencing token
 */
public record WriteOptions(Long ifMatch, boolean ifNoneMatch, long ephemeralSession, String fenceKey, long fenceToken) {

    /** An unconditional write. */
    public static final WriteOptions NONE = new WriteOptions(null, false, 0, null, 0);

    public WriteOptions withIfMatch(long version) {
        return new WriteOptions(version, ifNoneMatch, ephemeralSession, fenceKey, fenceToken);
    }

    public WriteOptions withIfNoneMatch() {
        return new WriteOptions(ifMatch, true, ephemeralSession, fenceKey, fenceToken);
    }

    public WriteOptions withEphemeral(long session) {
        return new WriteOptions(ifMatch, ifNoneMatch, session, fenceKey, fenceToken);
    }

    public WriteOptions withFence(String lockKey, long token) {
        return new WriteOptions(ifMatch, ifNoneMatch, ephemeralSession, lockKey, token);
    }
}
