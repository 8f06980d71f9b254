package io.quorum.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of a Dockerfile, as far as the deployment checks need them: continuation lines
 * joined, comments dropped, each instruction split into its keyword and the rest of the line.
 */
record Dockerfile(List<Instruction> instructions) {

    /** One instruction: {@code keyword} in upper case, {@code arguments} as written. */
    record Instruction(String keyword, String arguments) {}

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"((?:[^\"\\\\]|\\\\.)*)\"|\\S*)");

    static Dockerfile parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (pending.length() == 0 && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (pending.length() > 0 && trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String whole = pending.toString().strip();
            pending.setLength(0);
            int space = whole.indexOf(' ');
            instructions.add(space < 0
                    ? new Instruction(whole.toUpperCase(), "")
                    : new Instruction(whole.substring(0, space).toUpperCase(), whole.substring(space + 1).strip()));
        }
        return new Dockerfile(List.copyOf(instructions));
    }

    /** The arguments of every {@code FROM}, in order (one per stage). */
    List<String> stages() {
        return all("FROM", instructions);
    }

    /** The instructions of the last stage: what the image runs. */
    List<Instruction> runtimeStage() {
        int last = -1;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                last = i;
            }
        }
        return instructions.subList(last + 1, instructions.size());
    }

    /** The runtime stage's arguments of {@code keyword}, in order. */
    List<String> runtime(String keyword) {
        return all(keyword, runtimeStage());
    }

    /** The runtime stage's {@code ENV} variables (a later one wins). */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String arguments : runtime("ENV")) {
            Matcher m = ENV_PAIR.matcher(arguments);
            while (m.find()) {
                env.put(m.group(1), m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(2));
            }
        }
        return env;
    }

    /** The ports of the runtime stage's {@code EXPOSE} instructions. */
    List<Integer> exposedPorts() {
        List<Integer> ports = new ArrayList<>();
        for (String arguments : runtime("EXPOSE")) {
            for (String port : arguments.split("\\s+")) {
                ports.add(Integer.parseInt(port.replaceFirst("/(tcp|udp)$", "")));
            }
        }
        return ports;
    }

    /** The mount points of the runtime stage's {@code VOLUME} instructions (JSON or plain form). */
    List<String> volumes() {
        List<String> volumes = new ArrayList<>();
        for (String arguments : runtime("VOLUME")) {
            for (String volume : arguments.replaceAll("[\\[\\]\",]", " ").strip().split("\\s+")) {
                volumes.add(volume);
            }
        }
        return volumes;
    }

    /**
     * The build-context paths that {@code COPY} instructions read, in every stage (a
     * {@code COPY --from=stage} reads another stage, not the context); the destination is not one.
     */
    List<String> copySources() {
        List<String> sources = new ArrayList<>();
        for (String arguments : all("COPY", instructions)) {
            List<String> words = new ArrayList<>(List.of(arguments.split("\\s+")));
            if (words.stream().anyMatch(w -> w.startsWith("--from="))) {
                continue;
            }
            words.removeIf(w -> w.startsWith("--"));
            sources.addAll(words.subList(0, words.size() - 1));
        }
        return sources;
    }

    private static List<String> all(String keyword, List<Instruction> from) {
        return from.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }
}
