package io.quorum.deploy;

import io.quorum.cli.Main;
import io.quorum.server.HostPort;
import io.quorum.server.ServerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code server} command's flags as the program itself declares them, so that the deployment
 * files are checked against the code rather than against a copy of API.md: the {@code QUORUM_<FLAG>}
 * variable of each flag, the default HTTP and Raft ports, and the settings a node would start with.
 */
final class ServerFlags {

    /** API.md: {@code --data-dir} is {@code QUORUM_DATA_DIR}. */
    static String variableOf(String longFlag) {
        return "QUORUM_" + longFlag.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static CommandSpec serverSpec() {
        return new CommandLine(new Main()).getSubcommands().get("server").getCommandSpec();
    }

    /** Variable name to flag, for every flag of {@code server} but help and version. */
    static Map<String, String> variables() {
        Map<String, String> variables = new LinkedHashMap<>();
        for (OptionSpec option : serverSpec().options()) {
            if (!option.usageHelp() && !option.versionHelp() && option.longestName().startsWith("--")) {
                variables.put(variableOf(option.longestName()), option.longestName());
            }
        }
        return variables;
    }

    /** The port of a flag's built-in default address, e.g. 7001 for {@code --http-addr}. */
    static int defaultPort(String flag) {
        return HostPort.parse(serverSpec().findOption(flag).defaultValue()).port();
    }

    /**
     * The settings a node started with these {@code QUORUM_*} variables would run with: each
     * variable becomes its flag, picocli parses them as the server does, and {@link ServerSettings}
     * validates the result (its id among the members, its Raft address the one they list).
     *
     * @throws IllegalArgumentException for a variable that is no flag or settings a node would refuse
     */
    static ServerSettings settingsFrom(Map<String, String> environment) {
        Map<String, String> flags = variables();
        List<String> args = new ArrayList<>(List.of("server"));
        environment.forEach((name, value) -> {
            if (name.startsWith("QUORUM_")) {
                String flag = flags.get(name);
                if (flag == null) {
                    throw new IllegalArgumentException(name + " is not the variable of any server flag " + flags.keySet());
                }
                args.add(flag);
                args.add(value);
            }
        });
        CommandLine cli = new CommandLine(new Main());
        cli.parseArgs(args.toArray(String[]::new));
        CommandSpec spec = cli.getSubcommands().get("server").getCommandSpec();
        String id = spec.findOption("--id").getValue();
        Path dataDir = spec.findOption("--data-dir").getValue();
        String members = spec.findOption("--members").getValue();
        HostPort raft = HostPort.parse(spec.findOption("--raft-addr").getValue());
        int maxValueBytes = spec.findOption("--max-value-bytes").getValue();
        String listen = spec.findOption("--raft-listen-addr").getValue();
        return new ServerSettings(id, dataDir != null ? dataDir : Path.of("data", id),
                HostPort.parse(spec.findOption("--http-addr").getValue()), raft,
                listen == null ? raft : HostPort.parse(listen),
                members == null ? ServerSettings.singleMember(id, raft) : ServerSettings.parseMembers(members),
                maxValueBytes, ServerSettings.DEFAULT_TICK);
    }

    private ServerFlags() {}
}
