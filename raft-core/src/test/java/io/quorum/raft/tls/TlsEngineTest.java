package io.quorum.raft.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.OpenSSLEngineOptions;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class TlsEngineTest {

    @Test
    void boringSslIsUsedOnTheLinuxPlatformsItShipsFor() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        Assumptions.assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("aarch64")),
                "BoringSSL is bundled for Linux x86-64 and ARM64 only; this is " + os + " " + arch);
        assertThat(TlsEngine.preferred()).isInstanceOf(OpenSSLEngineOptions.class);
        assertThat(TlsEngine.describe()).startsWith("BoringSSL");
    }
}
