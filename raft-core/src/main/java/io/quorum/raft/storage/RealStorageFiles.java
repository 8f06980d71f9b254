package io.quorum.raft.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** {@link StorageFiles} on the real file system, through {@link FileChannel}. */
public final class RealStorageFiles implements StorageFiles {

    public static final RealStorageFiles INSTANCE = new RealStorageFiles();

    private static final Set<StandardOpenOption> READ_WRITE_NEW = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.CREATE_NEW);

    private RealStorageFiles() {
    }

    @Override
    public StorageFile open(Path file) throws IOException {
        return new ChannelFile(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    /** The file is created 0600 ({@link OwnerOnly}): segments, hard state and snapshots hold the cluster's data. */
    @Override
    public StorageFile create(Path file) throws IOException {
        return new ChannelFile(FileChannel.open(file, READ_WRITE_NEW, OwnerOnly.file(file)));
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> files = new ArrayList<>();
            entries.filter(Files::isRegularFile).forEach(files::add);
            return files;
        }
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        // Linux lets a directory be opened read-only and fsynced; that is what makes a rename durable.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Creates each missing directory, 0700 ({@link OwnerOnly}), and fsyncs its parent, so that a new
     * node's directory survives a crash. Directories that exist keep their mode.
     */
    @Override
    public void createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(absolute, OwnerOnly.directory(absolute));
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        if (parent != null) {
            syncDirectory(parent);
        }
    }

    private static final class ChannelFile implements StorageFile {
        private final FileChannel channel;

        ChannelFile(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            long at = position;
            while (src.hasRemaining()) {
                at += channel.write(src, at);
            }
        }

        @Override
        public void sync(boolean metadata) throws IOException {
            channel.force(metadata);
        }

        @Override
        public void truncate(long size) throws IOException {
            channel.truncate(size);
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
