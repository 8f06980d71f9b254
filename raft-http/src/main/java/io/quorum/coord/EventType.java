package io.quorum.coord;

/** The kinds of change a watch reports, spelled as in the API. */
public enum EventType {
    PUT("put"),
    DELETE("delete"),
    LOCK("lock"),
    UNLOCK("unlock"),
    SESSION_EXPIRED("session-expired");

    private final String apiName;

    EventType(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }
}
