package io.quorum.raft.storage;

import java.io.IOException;

/** Tells a full disk apart from every other I/O failure; Java reports both as plain IOExceptions. */
final class DiskErrors {

    private DiskErrors() {
    }

    /** True for ENOSPC and EDQUOT, which the JDK reports only through the message text. */
    static boolean isOutOfSpace(IOException e) {
        String message = e.getMessage();
        return message != null
                && (message.contains("No space left on device") || message.contains("Disk quota exceeded"));
    }
}
