package io.quorum.raft.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * A transcript in the etcd-io/raft datadriven layout: comment and blank lines, then a command
 * line, a line {@code ----}, the expected output, and a blank line that ends the block. The
 * comments are kept verbatim so that rewriting the expected output leaves everything else alone.
 */
public record ScenarioFile(List<Block> blocks, String trailer) {

    /** One command: the text before it (comments, blank lines), where it is, and what it should print. */
    public record Block(String preamble, String command, int line, String expected) {
    }

    public static ScenarioFile parse(String text) {
        String[] lines = text.split("\n", -1);
        List<Block> blocks = new ArrayList<>();
        StringBuilder preamble = new StringBuilder();
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                if (i < lines.length - 1 || !line.isEmpty()) {
                    preamble.append(line).append('\n');
                }
                i++;
                continue;
            }
            int commandLine = i + 1;
            i++;
            if (i >= lines.length || !lines[i].equals("----")) {
                throw new IllegalArgumentException("line " + commandLine + ": expected ---- after command '" + line + "'");
            }
            i++;
            StringBuilder expected = new StringBuilder();
            while (i < lines.length && !lines[i].isEmpty()) {
                expected.append(lines[i]).append('\n');
                i++;
            }
            if (i < lines.length) {
                i++; // the blank line that ends the block
            }
            blocks.add(new Block(preamble.toString(), line.trim(), commandLine, expected.toString()));
            preamble.setLength(0);
        }
        return new ScenarioFile(List.copyOf(blocks), preamble.toString());
    }

    /** The file text with each block's expected output replaced by {@code actual.get(i)}. */
    public String render(List<String> actual) {
        StringBuilder out = new StringBuilder();
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            out.append(block.preamble()).append(block.command()).append('\n').append("----\n").append(actual.get(b));
            if (b < blocks.size() - 1 || !trailer.isEmpty()) {
                out.append('\n');
            }
        }
        out.append(trailer);
        return out.toString();
    }
}
