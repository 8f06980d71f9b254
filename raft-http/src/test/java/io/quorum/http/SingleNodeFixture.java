package io.quorum.http;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One single-node cluster per test class, in a temporary data directory. */
abstract class SingleNodeFixture {

    @TempDir
    static Path data;
    static TestCluster cluster;
    static Api api;

    @BeforeAll
    static void startNode() throws Exception {
        cluster = TestCluster.start(1, data);
        api = cluster.api(0);
    }

    @AfterAll
    static void stopNode() {
        cluster.close();
    }
}
