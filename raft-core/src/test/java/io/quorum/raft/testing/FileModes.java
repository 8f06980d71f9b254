package io.quorum.raft.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** The permission bits of files in tests, as {@code ls -l} shows them ({@code rw-------}). */
public final class FileModes {

    /** What a data directory, or any directory inside it, is created with. */
    public static final String OWNER_DIRECTORY = "rwx------";
    /** What a segment, hard-state, snapshot or backup file is created with. */
    public static final String OWNER_FILE = "rw-------";

    private FileModes() {
    }

    /** Skips the test where {@code dir}'s file system keeps no POSIX permissions: there is nothing to check. */
    public static void assumePosix(Path dir) throws IOException {
        Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class),
                "the file system of " + dir + " has no POSIX permissions, so file modes cannot be checked");
    }

    public static String modeOf(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    /** The mode of {@code root} and of every file and directory below it, by path. */
    public static SortedMap<Path, String> modesOfTree(Path root) throws IOException {
        SortedMap<Path, String> modes = new TreeMap<>();
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : (Iterable<Path>) tree::iterator) {
                modes.put(path, modeOf(path));
            }
        }
        return modes;
    }

    /** The mode a tree that is its owner's only has for {@code path}. */
    public static String ownerOnly(Path path) {
        return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? OWNER_DIRECTORY : OWNER_FILE;
    }
}
