package io.quorum.cli;

import io.quorum.client.KeyDeleted;
import io.quorum.client.KeyList;
import io.quorum.client.KeyValue;
import io.quorum.client.KeyWritten;
import io.quorum.client.QuorumClient;
import io.quorum.client.WriteOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code quorum kv put|get|del|ls}: the keys of API.md from the command line. */
@Command(name = "kv", mixinStandardHelpOptions = true, description = "Reads and writes keys (small files).",
        subcommands = {KvCommand.Put.class, KvCommand.Get.class, KvCommand.Delete.class, KvCommand.ListKeys.class})
final class KvCommand implements Runnable {

    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Writes VALUE to KEY and prints the key's new version and modIndex.",
            exitCodeListHeading = ClientCommand.EXIT_CODES_HEADING,
            exitCodeList = {"0:written", "1:an API error, printed as 'quorum: <code>: <message>' "
                    + "(VERSION_MISMATCH when a condition failed)", "2:usage error"})
    static final class Put extends ClientCommand {

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE", description = "The value; '-' reads it from stdin, as bytes.")
        String value;

        @Option(names = "--if-match", paramLabel = "VERSION", description = "Write only if the key has this version.")
        Long ifMatch;

        @Option(names = "--create", description = "Write only if the key does not exist (If-None-Match: *).")
        boolean create;

        @Option(names = "--ephemeral-session", paramLabel = "ID",
                description = "Make the key ephemeral: deleted when this session ends.")
        Long ephemeralSession;

        @Option(names = "--fence", paramLabel = "LOCK:TOKEN",
                description = "Write only while LOCK is held with this fencing token (e.g. \"$QUORUM_LOCK_KEY:$QUORUM_LOCK_TOKEN\").")
        String fence;

        @Override
        int run(QuorumClient client) throws IOException {
            byte[] bytes = "-".equals(value) ? System.in.readAllBytes() : value.getBytes(StandardCharsets.UTF_8);
            KeyWritten written = client.put(key, bytes, options());
            println("version=" + written.version() + " modIndex=" + written.modIndex());
            return OK;
        }

        private WriteOptions options() {
            WriteOptions options = WriteOptions.NONE;
            if (ifMatch != null) {
                options = options.withIfMatch(ifMatch);
            }
            if (create) {
                options = options.withIfNoneMatch();
            }
            if (ephemeralSession != null) {
                options = options.withEphemeral(ephemeralSession);
            }
            if (fence != null) {
                int colon = fence.lastIndexOf(':');
                long token;
                try {
                    token = colon <= 0 ? -1 : Long.parseLong(fence.substring(colon + 1));
                } catch (NumberFormatException e) {
                    token = -1;
                }
                if (token < 1) {
                    throw new ParameterException(spec.commandLine(),
                            "--fence must be LOCK:TOKEN with a positive token: " + fence);
                }
                options = options.withFence(fence.substring(0, colon), token);
            }
            return options;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Prints KEY's value to stdout exactly as stored (no newline added).",
            exitCodeListHeading = ClientCommand.EXIT_CODES_HEADING,
            exitCodeList = {"0:printed", "1:an API error, printed as 'quorum: <code>: <message>'; "
                    + "a missing key is 'quorum: NOT_FOUND: …' (as consul kv get, unlike etcdctl)", "2:usage error"})
    static final class Get extends ClientCommand {

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Option(names = "--consistency", defaultValue = "linearizable", paramLabel = "linearizable|stale",
                description = "stale reads the answering node's replica without asking the leader (default: ${DEFAULT-VALUE}).")
        Consistency consistency;

        @Override
        int run(QuorumClient client) throws IOException {
            Optional<KeyValue> found = client.get(key, consistency == Consistency.stale);
            if (found.isEmpty()) {
                return fail("NOT_FOUND", "no key " + key);
            }
            System.out.write(found.get().value());
            System.out.flush();
            return OK;
        }
    }

    /** Picocli matches the option's text to these names. */
    enum Consistency { linearizable, stale }

    @Command(name = "del", mixinStandardHelpOptions = true,
            description = "Deletes KEY; prints deleted=true, or deleted=false when it did not exist (still exit 0).",
            exitCodeListHeading = ClientCommand.EXIT_CODES_HEADING,
            exitCodeList = {"0:deleted or absent", "1:an API error, printed as 'quorum: <code>: <message>'",
                    "2:usage error"})
    static final class Delete extends ClientCommand {

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Option(names = "--if-match", paramLabel = "VERSION", description = "Delete only if the key has this version.")
        Long ifMatch;

        @Override
        int run(QuorumClient client) {
            KeyDeleted deleted = client.delete(key, ifMatch == null ? WriteOptions.NONE : WriteOptions.NONE.withIfMatch(ifMatch));
            println("deleted=" + deleted.deleted() + " index=" + deleted.index());
            return OK;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true,
            description = "Prints the keys under PREFIX, one a line, in key order (every page).",
            exitCodeListHeading = ClientCommand.EXIT_CODES_HEADING,
            exitCodeList = {"0:listed (also when none)", "1:an API error, printed as 'quorum: <code>: <message>'",
                    "2:usage error"})
    static final class ListKeys extends ClientCommand {

        @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", defaultValue = "", description = "Default: every key.")
        String prefix;

        @Option(names = "--one-level", description = "Fold deeper keys into one 'dir/' line (delimiter=/).")
        boolean oneLevel;

        @Option(names = "--page-size", defaultValue = "1000", paramLabel = "N",
                description = "Keys per request, 1 to 1000 (default: ${DEFAULT-VALUE}).")
        int pageSize;

        @Override
        int run(QuorumClient client) {
            StringBuilder out = new StringBuilder();
            for (KeyList.Item item : client.listAll(prefix, oneLevel, pageSize)) {
                out.append(item.key()).append(System.lineSeparator());
            }
            System.out.print(out);
            System.out.flush();
            return OK;
        }
    }
}
