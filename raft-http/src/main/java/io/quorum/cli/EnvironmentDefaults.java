package io.quorum.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * API.md: every flag can also be given as {@code QUORUM_<FLAG>} ({@code --data-dir} is {@code
 * QUORUM_DATA_DIR}); a flag on the command line wins, and the environment wins over the built-in
 * default. Picocli asks this provider before it falls back to an option's annotated default.
 * Installed on the root of the command tree, it serves every subcommand and mixin: the client
 * commands' {@code --endpoints} is {@code QUORUM_ENDPOINTS}.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {

    private final Map<String, String> environment;

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** {@code --max-value-bytes} → {@code QUORUM_MAX_VALUE_BYTES}. */
    static String variableOf(String longOption) {
        return "QUORUM_" + longOption.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (argument instanceof OptionSpec option && option.longestName().startsWith("--")) {
            String value = environment.get(variableOf(option.longestName()));
            return value == null || value.isEmpty() ? null : value;
        }
        return null;
    }
}
