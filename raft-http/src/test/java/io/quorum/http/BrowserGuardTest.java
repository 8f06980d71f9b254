package io.quorum.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.server.AllowedOrigins;
import io.quorum.server.HostPort;
import io.vertx.core.net.HostAndPort;
import org.junit.jupiter.api.Test;

/** The decisions of {@link BrowserGuard}, without a server: which Origin and Host headers are refused. */
class BrowserGuardTest {

    private static final HostPort LOOPBACK = HostPort.parse("127.0.0.1:7001");
    private static final AllowedOrigins CONSOLE = AllowedOrigins.parse("https://console.example.com,http://localhost:8080");

    private static HostAndPort host(String header) {
        HostAndPort parsed = HostAndPort.parseAuthority(header, -1);
        assertThat(parsed).as("a valid Host header: " + header).isNotNull();
        return parsed;
    }

    @Test
    void aRequestWithoutOriginPasses() {
        assertThat(new BrowserGuard(AllowedOrigins.NONE, LOOPBACK).refusal(null, host("127.0.0.1:7001"))).isNull();
        assertThat(new BrowserGuard(CONSOLE, LOOPBACK).refusal(null, host("localhost:7001"))).isNull();
    }

    @Test
    void anOriginNotListedIsRefusedNamingItAndTheFlag() {
        ApiException refusal = new BrowserGuard(CONSOLE, LOOPBACK).refusal("https://evil.example", host("127.0.0.1:7001"));
        assertThat(refusal).isNotNull();
        assertThat(refusal.status()).isEqualTo(403);
        assertThat(refusal.code()).isEqualTo("FORBIDDEN_ORIGIN");
        assertThat(refusal.getMessage()).contains("'https://evil.example'").contains("--allowed-origins");

        assertThat(new BrowserGuard(AllowedOrigins.NONE, LOOPBACK).refusal("http://localhost:8080", host("localhost:7001")))
                .as("by default no origin is allowed, not even a local one").isNotNull();
        assertThat(new BrowserGuard(CONSOLE, LOOPBACK).refusal("null", host("localhost:7001"))).isNotNull();
    }

    @Test
    void aListedOriginPasses() {
        BrowserGuard guard = new BrowserGuard(CONSOLE, LOOPBACK);
        assertThat(guard.refusal("https://console.example.com", host("127.0.0.1:7001"))).isNull();
        assertThat(guard.refusal("http://localhost:8080", host("localhost:7001"))).isNull();
    }

    @Test
    void starAllowsAnyOrigin() {
        BrowserGuard guard = new BrowserGuard(AllowedOrigins.parse("*"), LOOPBACK);
        assertThat(guard.refusal("https://anything.example", host("127.0.0.1:7001"))).isNull();
        assertThat(guard.refusal("null", host("127.0.0.1:7001"))).isNull();
    }

    @Test
    void onLoopbackOnlyLoopbackHostsPassWithAnyPort() {
        BrowserGuard guard = new BrowserGuard(AllowedOrigins.NONE, LOOPBACK);
        for (String loopback : new String[] {"localhost", "localhost:7001", "LOCALHOST:1", "localhost.:7001",
                "console.localhost:7001", "a.b.localhost", "127.0.0.1", "127.0.0.1:7001", "127.1.2.3:9",
                "[::1]", "[::1]:7001", "[0:0:0:0:0:0:0:1]:7001", "[::ffff:127.0.0.1]:7001"}) {
            assertThat(guard.refusal(null, host(loopback))).as(loopback).isNull();
        }
    }

    @Test
    void onLoopbackAnyOtherHostIsRefusedAsRebinding() {
        BrowserGuard guard = new BrowserGuard(AllowedOrigins.parse("*"), LOOPBACK);
        for (String foreign : new String[] {"evil.example:7001", "evil.example", "localhost.evil.example:7001",
                "evillocalhost:7001", "127.0.0.1.evil.example", "10.0.0.1:7001", "0.0.0.0:7001", "128.0.0.1:7001",
                "[::2]:7001", "[::]:7001", "[::ffff:10.0.0.1]:7001", "192.168.1.10"}) {
            ApiException refusal = guard.refusal(null, host(foreign));
            assertThat(refusal).as(foreign).isNotNull();
            assertThat(refusal.status()).isEqualTo(403);
            assertThat(refusal.code()).isEqualTo("FORBIDDEN_ORIGIN");
            assertThat(refusal.getMessage()).contains("'" + foreign + "'").contains("loopback").contains("DNS rebinding");
        }
        assertThat(guard.refusal("https://allowed.example", host("evil.example:7001")))
                .as("an allowed origin does not excuse a foreign Host").isNotNull();
    }

    @Test
    void aRequestWithoutHostIsNotRefusedByTheHostRule() {
        assertThat(new BrowserGuard(AllowedOrigins.NONE, LOOPBACK).refusal(null, null)).isNull();
        assertThat(new BrowserGuard(AllowedOrigins.NONE, LOOPBACK).refusal("https://evil.example", null)).isNotNull();
    }

    @Test
    void everyLoopbackListenAddressChecksTheHost() {
        for (String listen : new String[] {"127.0.0.1:7001", "127.0.0.53:7001", "localhost:7001", "[::1]:7001", "::1:7001"}) {
            BrowserGuard guard = new BrowserGuard(AllowedOrigins.NONE, HostPort.parse(listen));
            assertThat(guard.refusal(null, host("evil.example:7001"))).as(listen).isNotNull();
            assertThat(guard.refusal(null, host("localhost:7001"))).as(listen).isNull();
        }
    }

    @Test
    void onANonLoopbackAddressTheHostIsNotChecked() {
        for (String listen : new String[] {"0.0.0.0:7001", "10.0.0.5:7001", "[::]:7001", "quorum-0.quorum.svc:7001"}) {
            BrowserGuard guard = new BrowserGuard(AllowedOrigins.NONE, HostPort.parse(listen));
            assertThat(guard.refusal(null, host("evil.example:7001"))).as(listen).isNull();
            assertThat(guard.refusal("https://evil.example", host("quorum.example:7001")))
                    .as("the Origin rule still holds on " + listen).isNotNull();
        }
    }
}
