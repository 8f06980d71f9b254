package io.quorum.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.coord.ErrorCode;
import io.quorum.raft.node.NodeException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** API.md's error table: the node's failures and the state machine's refusals as statuses. */
class ErrorMappingTest {

    @ParameterizedTest
    @CsvSource({
            "NO_LEADER, 503, NO_LEADER, 1",
            "NOT_COMMITTED, 503, UNAVAILABLE, 1",
            "OVERLOADED, 429, OVERLOADED, 1",
            "INVALID, 400, INVALID_ARGUMENT, 0",
            "TIMEOUT, 504, TIMEOUT, 0",
            "STOPPED, 504, TIMEOUT, 0"})
    void nodeFailures(NodeException.Kind kind, int status, String code, int retryAfter) {
        ApiException e = ErrorMapping.of(new CompletionException(new NodeException(kind, "why")));
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.retryAfterSeconds()).isEqualTo(retryAfter);
    }

    @ParameterizedTest
    @CsvSource({
            "INVALID_ARGUMENT, 400", "NOT_FOUND, 404", "SESSION_NOT_FOUND, 404", "LOCK_HELD, 409", "FENCED, 409",
            "VERSION_MISMATCH, 412", "TOO_LARGE, 413", "OVERLOADED, 429"})
    void stateMachineRefusals(ErrorCode code, int status) {
        assertThat(ErrorMapping.status(code)).isEqualTo(status);
    }

    @ParameterizedTest
    @CsvSource({"TIMEOUT, 503, UNAVAILABLE", "NO_LEADER, 503, NO_LEADER", "STOPPED, 504, TIMEOUT"})
    void aReadThatTimedOutIsSafeToRetry(NodeException.Kind kind, int status, String code) {
        ApiException e = ErrorMapping.of(ErrorMapping.forRead(new NodeException(kind, "why")));
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.code()).isEqualTo(code);
    }
}
