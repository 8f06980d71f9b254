package io.quorum.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code --allowed-origins}: what it accepts, and which {@code Origin} headers it then allows. */
class AllowedOriginsTest {

    @Test
    void noValueAllowsNoOrigin() {
        assertThat(AllowedOrigins.parse(null)).isEqualTo(AllowedOrigins.NONE);
        assertThat(AllowedOrigins.parse("  ")).isEqualTo(AllowedOrigins.NONE);
        assertThat(AllowedOrigins.NONE.allows("http://localhost:8080")).isFalse();
        assertThat(AllowedOrigins.NONE.allows("null")).isFalse();
    }

    @Test
    void allowsExactlyTheListedOriginsAsBrowsersSerializeThem() {
        AllowedOrigins allowed = AllowedOrigins.parse("https://Console.Example.com, http://localhost:8080,http://[::1]:3000");
        assertThat(allowed.origins()).containsExactly("https://console.example.com", "http://localhost:8080", "http://[::1]:3000");
        assertThat(allowed.allows("https://console.example.com")).isTrue();
        assertThat(allowed.allows("http://localhost:8080")).isTrue();
        assertThat(allowed.allows("http://[::1]:3000")).isTrue();

        assertThat(allowed.allows("http://console.example.com")).as("another scheme").isFalse();
        assertThat(allowed.allows("https://console.example.com:8443")).as("another port").isFalse();
        assertThat(allowed.allows("http://localhost:8081")).isFalse();
        assertThat(allowed.allows("https://evil.console.example.com")).isFalse();
        assertThat(allowed.allows("https://console.example.com.evil.example")).isFalse();
        assertThat(allowed.allows("null")).as("sandboxed pages and file: URLs").isFalse();
        assertThat(allowed.allows("")).isFalse();
    }

    @Test
    void theDefaultPortOfTheSchemeIsTheSameOrigin() {
        AllowedOrigins allowed = AllowedOrigins.parse("https://console.example.com:443,http://intranet.example:80");
        assertThat(allowed.origins()).containsExactly("https://console.example.com", "http://intranet.example");
        assertThat(allowed.allows("https://console.example.com")).isTrue();
        assertThat(allowed.allows("http://intranet.example")).isTrue();
        assertThat(allowed.allows("http://intranet.example:80")).isTrue();
    }

    @Test
    void starAllowsEveryOrigin() {
        AllowedOrigins any = AllowedOrigins.parse("*");
        assertThat(any.any()).isTrue();
        assertThat(any.allows("https://anything.example")).isTrue();
        assertThat(any.allows("null")).isTrue();
        assertThat(any.toString()).isEqualTo("*");
    }

    @Test
    void malformedOriginsAreRefusedNamingTheFlagAndTheValue() {
        for (String bad : new String[] {"console.example.com", "https://console.example.com/", "https://console.example.com/app",
                "https://", "https://host:0", "https://host:65536", "https://host:x", "https://user@host", "https://host?x=1",
                "http://a,,http://b", "*.example.com"}) {
            assertThatThrownBy(() -> AllowedOrigins.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--allowed-origins: '")
                    .hasMessageContaining("is not an origin");
        }
        assertThatThrownBy(() -> AllowedOrigins.parse("http://ok.example,https://console.example.com/"))
                .hasMessageContaining("'https://console.example.com/'");
        assertThatThrownBy(() -> AllowedOrigins.parse("*,https://console.example.com"))
                .hasMessageContaining("--allowed-origins").hasMessageContaining("'*'");
    }
}
