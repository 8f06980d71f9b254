package io.quorum.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms,500", "10s,10000", "2m,120000", "1h,3600000", "1500,1500", "0s,0", "24h,86400000"})
    void parsesTheApiForms(String text, long millis) {
        assertThat(Durations.millis(text, "ttl")).isEqualTo(millis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1s", "1.5s", "10 s", "10sec", "1d", "25h", "999999999999h", "1234567890123", "s", "1e3"})
    void refusesEverythingElse(String text) {
        assertThatThrownBy(() -> Durations.millis(text, "ttl"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("ttl");
                });
    }

    @Test
    void jsonValuesMayBeIntegersOrStringsAndAbsentMeansTheFallback() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        assertThat(Durations.millis(json.numberNode(2500), "ttl", 7)).isEqualTo(2500);
        assertThat(Durations.millis(json.textNode("3s"), "ttl", 7)).isEqualTo(3000);
        assertThat(Durations.millis(null, "ttl", 7)).isEqualTo(7);
        assertThat(Durations.millis(json.nullNode(), "ttl", 7)).isEqualTo(7);
        assertThatThrownBy(() -> Durations.millis(json.numberNode(-1), "ttl", 7)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> Durations.millis(json.numberNode(1.5), "ttl", 7)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> Durations.millis(json.booleanNode(true), "ttl", 7)).isInstanceOf(ApiException.class);
    }

    @ParameterizedTest
    @CsvSource({"15000,15s", "120000,2m", "3600000,1h", "1500,1500ms", "0,0s"})
    void formatsInTheShortestExactUnit(long millis, String text) {
        assertThat(Durations.format(millis)).isEqualTo(text);
        assertThat(Durations.millis(text, "x")).isEqualTo(millis);
    }
}
