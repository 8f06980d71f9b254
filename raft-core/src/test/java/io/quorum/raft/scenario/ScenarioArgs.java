package io.quorum.raft.scenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A transcript command line: the command, positional arguments and {@code key=value} options. */
record ScenarioArgs(String command, List<String> tokens, List<String> positionals, Map<String, String> options) {

    static ScenarioArgs parse(String line) {
        String[] tokens = line.trim().split("\\s+");
        List<String> positionals = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < tokens.length; i++) {
            int eq = tokens[i].indexOf('=');
            if (eq > 0) {
                options.put(tokens[i].substring(0, eq), tokens[i].substring(eq + 1));
            } else {
                positionals.add(tokens[i]);
            }
        }
        return new ScenarioArgs(tokens[0], List.of(tokens), List.copyOf(positionals), Map.copyOf(options));
    }

    String positional(int i) {
        if (i >= positionals.size()) {
            throw new IllegalArgumentException(command + ": missing argument " + (i + 1));
        }
        return positionals.get(i);
    }

    /** The i-th word after the command, taken literally even when it contains '='. */
    String word(int i) {
        if (i + 1 >= tokens.size()) {
            throw new IllegalArgumentException(command + ": missing argument " + (i + 1));
        }
        return tokens.get(i + 1);
    }

    String id(int i) {
        return positional(i);
    }

    /** All positional arguments, read as node ids. */
    List<String> ids() {
        return positionals;
    }

    String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    Set<String> idSet(String key) {
        String value = options.get(key);
        return value == null ? Set.of() : new HashSet<>(Arrays.asList(value.split(",")));
    }
}
