package io.quorum.deploy;

import io.quorum.cli.Main;
import io.quorum.server.AllowedOrigins;
import io.quorum.server.HostPort;
import io.quorum.server.ServerSettings;
import io.quorum.server.TlsSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code server} command's flags as the program itself declares them, so that the deployment
 * files are checked against the code rather than against a copy of the documentation: the
 * {@code QUORUM_<FLAG>} variable of each flag, the default HTTP and Raft ports, and the settings a
 * node would start with; and the variables of the client commands' flags, which the image's health
 * check reads too.
 */
final class ServerFlags {

    /** API.md: {@code --data-dir} is {@code QUORUM_DATA_DIR}. */
    static String variableOf(String longFlag) {
        return "QUORUM_" + longFlag.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static CommandSpec serverSpec() {
        return commandSpec("server");
    }

    private static CommandSpec commandSpec(String command) {
        return new CommandLine(new Main()).getSubcommands().get(command).getCommandSpec();
    }

    /** Variable name to flag, for every flag of {@code server} but help and version. */
    static Map<String, String> variables() {
        return variablesOf(serverSpec());
    }

    /**
     * Variable name to flag for the flags every client command shares ({@code status} has only
     * those): {@code QUORUM_ENDPOINTS}, {@code QUORUM_CACERT}, {@code QUORUM_CERT}, {@code QUORUM_KEY}, ...
     * A server ignores them.
     */
    static Map<String, String> clientVariables() {
        return variablesOf(commandSpec("status"));
    }

    private static Map<String, String> variablesOf(CommandSpec command) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (OptionSpec option : command.options()) {
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
     * The settings a node started with these {@code QUORUM_*} variables would run with: picocli
     * reads each flag's variable as the server does (a flag's default value from the environment),
     * and {@link ServerSettings} and {@link TlsSettings} validate the result (its id among the
     * members, its Raft address the one they list, the TLS files in complete groups).
     *
     * @throws IllegalArgumentException for a variable that is neither a server flag's nor a client
     *                                  command's (which the server ignores), or settings a node would refuse
     */
    static ServerSettings settingsFrom(Map<String, String> environment) {
        Map<String, String> flags = variables();
        Map<String, String> clientFlags = clientVariables();
        environment.keySet().stream()
                .filter(name -> name.startsWith("QUORUM_") && !flags.containsKey(name) && !clientFlags.containsKey(name))
                .findFirst()
                .ifPresent(name -> {
                    throw new IllegalArgumentException(name + " is not the variable of any server flag " + flags.keySet());
                });
        CommandLine cli = new CommandLine(new Main());
        cli.setDefaultValueProvider(argument -> argument instanceof OptionSpec option && option.longestName().startsWith("--")
                ? blankAsNull(environment.get(variableOf(option.longestName())))
                : null);
        cli.parseArgs("server");
        CommandSpec spec = cli.getSubcommands().get("server").getCommandSpec();
        String id = spec.findOption("--id").getValue();
        Path dataDir = spec.findOption("--data-dir").getValue();
        String members = spec.findOption("--members").getValue();
        HostPort raft = HostPort.parse(spec.findOption("--raft-addr").getValue());
        int maxValueBytes = spec.findOption("--max-value-bytes").getValue();
        String listen = spec.findOption("--raft-listen-addr").getValue();
        TlsSettings tls = TlsSettings.fromFlags(spec.findOption("--peer-cert-file").getValue(),
                spec.findOption("--peer-key-file").getValue(), spec.findOption("--peer-trusted-ca-file").getValue(),
                spec.findOption("--cert-file").getValue(), spec.findOption("--key-file").getValue(),
                spec.findOption("--trusted-ca-file").getValue(), spec.findOption("--client-cert-auth").<Boolean>getValue());
        return new ServerSettings(id, dataDir != null ? dataDir : Path.of("data", id),
                HostPort.parse(spec.findOption("--http-addr").getValue()), raft,
                listen == null ? raft : HostPort.parse(listen),
                members == null ? ServerSettings.singleMember(id, raft) : ServerSettings.parseMembers(members),
                maxValueBytes, ServerSettings.DEFAULT_TICK, tls,
                AllowedOrigins.parse(spec.findOption("--allowed-origins").getValue()));
    }

    private static String blankAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private ServerFlags() {}
}
