package io.quorum.server;

import io.quorum.raft.protocol.SnapshotMeta;

/**
 * A consistent backup as {@link CoordinationService#backup()} took it.
 *
 * @param meta the index, term and configuration it reflects
 * @param file the {@link BackupFile} bytes
 */
public record Backup(SnapshotMeta meta, byte[] file) {}
