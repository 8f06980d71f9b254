package io.quorum.server;

import io.quorum.coord.CoordConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a server node is started with: the flags of API.md's {@code server} command, validated once.
 *
 * @param id            this node's id ({@link MemberSyntax#idProblem})
 * @param dataDir       where the Raft log, hard state and snapshots live
 * @param httpAddr      where the HTTP API listens (port 0: any free port)
 * @param raftAddr      where peers reach this node's Raft transport (what they dial); must be this
 *                      node's member address when {@code members} names it
 * @param raftListenAddr where the Raft transport listens: {@code raftAddr} unless the node sits behind
 *                      a NAT, a container port mapping or a proxy that forwards {@code raftAddr} here
 * @param members       when it names {@code id}: the initial voters, id to Raft address, written into
 *                      an empty data dir once. When it does not, this node {@link #joining() joins}:
 *                      it starts empty, bootstraps nothing, and waits to be added (through
 *                      {@code POST /v1/cluster/members}) by the cluster these members form, whom it
 *                      answers until the configuration it receives names it
 * @param maxValueBytes the largest value a put may write; every node of a cluster must use the same
 * @param tick          one Raft tick (heartbeat); the election timeout is 10–20 ticks
 * @param tls           TLS on the Raft port and the HTTP API ({@link TlsSettings#NONE}: neither)
 * @param allowedOrigins the browser origins whose pages may use the API (null: none)
 */
public record ServerSettings(String id, Path dataDir, HostPort httpAddr, HostPort raftAddr, HostPort raftListenAddr,
                             SortedMap<String, String> members, int maxValueBytes, Duration tick, TlsSettings tls,
                             AllowedOrigins allowedOrigins) {

    public static final int DEFAULT_MAX_VALUE_BYTES = CoordConfig.DEFAULTS.maxValueBytes();
    public static final Duration DEFAULT_TICK = Duration.ofMillis(50);

    public ServerSettings {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("--id is required");
        }
        members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
        if (raftListenAddr == null) {
            raftListenAddr = raftAddr;
        }
        if (tls == null) {
            tls = TlsSettings.NONE;
        }
        if (allowedOrigins == null) {
            allowedOrigins = AllowedOrigins.NONE;
        }
        String idProblem = MemberSyntax.idProblem(id);
        if (idProblem != null) {
            throw new IllegalArgumentException("--id: " + idProblem);
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("--members names no member");
        }
        for (String member : members.keySet()) {
            String problem = MemberSyntax.idProblem(member);
            if (problem != null) {
                throw new IllegalArgumentException("--members: " + problem);
            }
        }
        if (members.containsKey(id)) {
            HostPort listed = HostPort.parse(members.get(id));
            if (raftAddr.port() != 0 && !listed.equals(raftAddr)) {
                throw new IllegalArgumentException("--raft-addr " + raftAddr + " differs from this node's address in --members: "
                        + listed);
            }
        }
        if (maxValueBytes < 1) {
            throw new IllegalArgumentException("--max-value-bytes must be >= 1: " + maxValueBytes);
        }
        if (tick.toMillis() < 1) {
            throw new IllegalArgumentException("tick must be >= 1 ms");
        }
    }

    /** Plaintext settings that allow no browser origin. */
    public ServerSettings(String id, Path dataDir, HostPort httpAddr, HostPort raftAddr, HostPort raftListenAddr,
                          SortedMap<String, String> members, int maxValueBytes, Duration tick) {
        this(id, dataDir, httpAddr, raftAddr, raftListenAddr, members, maxValueBytes, tick, TlsSettings.NONE,
                AllowedOrigins.NONE);
    }

    /** Plaintext settings whose Raft transport listens where peers dial it, on {@code raftAddr}. */
    public ServerSettings(String id, Path dataDir, HostPort httpAddr, HostPort raftAddr,
                          SortedMap<String, String> members, int maxValueBytes, Duration tick) {
        this(id, dataDir, httpAddr, raftAddr, raftAddr, members, maxValueBytes, tick, TlsSettings.NONE,
                AllowedOrigins.NONE);
    }

    /**
     * Whether this node joins an existing cluster rather than bootstrapping one: {@code members}
     * does not name it. It then starts with an empty configuration and never campaigns until the
     * leader's configuration names it.
     */
    public boolean joining() {
        return !members.containsKey(id);
    }

    /** A single-node cluster of {@code id} at {@code raftAddr}. */
    public static SortedMap<String, String> singleMember(String id, HostPort raftAddr) {
        return new TreeMap<>(Map.of(id, raftAddr.toString()));
    }

    /**
     * Parses {@code n1=127.0.0.1:7101,n2=127.0.0.1:7102}.
     *
     * @throws IllegalArgumentException naming the bad element
     */
    public static SortedMap<String, String> parseMembers(String list) {
        SortedMap<String, String> members = new TreeMap<>();
        for (String element : list.split(",")) {
            String trimmed = element.trim();
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--members element must be id=host:port: '" + trimmed + "'");
            }
            String memberId = trimmed.substring(0, eq);
            String address = MemberSyntax.raftAddress(trimmed.substring(eq + 1)).toString();
            if (members.put(memberId, address) != null) {
                throw new IllegalArgumentException("--members names " + memberId + " twice");
            }
        }
        return members;
    }

    public CoordConfig coordConfig() {
        CoordConfig d = CoordConfig.DEFAULTS;
        return new CoordConfig(maxValueBytes, d.maxSessions(), d.maxWaitersPerLock(), d.eventHistorySize());
    }

    public ServerSettings withTick(Duration newTick) {
        return new ServerSettings(id, dataDir, httpAddr, raftAddr, raftListenAddr, members, maxValueBytes, newTick, tls,
                allowedOrigins);
    }

    public ServerSettings withTls(TlsSettings newTls) {
        return new ServerSettings(id, dataDir, httpAddr, raftAddr, raftListenAddr, members, maxValueBytes, tick, newTls,
                allowedOrigins);
    }
}
