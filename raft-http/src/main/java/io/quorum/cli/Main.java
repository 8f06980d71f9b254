package io.quorum.cli;

import io.quorum.bench.BenchCommand;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar quorum.jar [command]}: the command line of API.md. With no command, or with
 * only flags, it runs {@code server}. The client commands ({@code kv}, {@code lock}, {@code status},
 * {@code snapshot}) exit 0 on success, 1 on an API error (printed as {@code quorum: <code>:
 * <message>}) and 2 on a usage error.
 */
@Command(name = "quorum", mixinStandardHelpOptions = true, version = "quorum 0.1.0",
        description = "A Raft consensus service with sessions, fenced locks, small files and watches.",
        subcommands = {ServerCommand.class, KvCommand.class, LockCommand.class, StatusCommand.class,
                SnapshotCommand.class, BenchCommand.class})
public final class Main implements Runnable {

    private static final Set<String> TOP_LEVEL_FLAGS = Set.of("-h", "--help", "-V", "--version");

    public static void main(String[] args) {
        System.exit(commandLine().execute(withDefaultCommand(args)));
    }

    /** The command tree with flags read from {@code QUORUM_*} environment variables as defaults. */
    static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /** The command tree with flags read from {@code QUORUM_*} variables of {@code environment}. */
    static CommandLine commandLine(Map<String, String> environment) {
        CommandLine cli = new CommandLine(new Main());
        cli.setDefaultValueProvider(new EnvironmentDefaults(environment));
        return cli;
    }

    /** {@code server} is the default command: inserted when the arguments start with a server flag or are empty. */
    static String[] withDefaultCommand(String[] args) {
        if (args.length > 0 && (!args[0].startsWith("-") || TOP_LEVEL_FLAGS.contains(args[0]))) {
            return args;
        }
        String[] withServer = new String[args.length + 1];
        withServer[0] = "server";
        System.arraycopy(args, 0, withServer, 1, args.length);
        return withServer;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
