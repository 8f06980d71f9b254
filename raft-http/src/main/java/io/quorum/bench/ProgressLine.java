package io.quorum.bench;

import java.io.PrintStream;
import java.util.function.Consumer;

/** The live one-line progress, rewritten in place with a carriage return; only on a terminal. */
final class ProgressLine implements Consumer<Driver.Progress> {

    private final PrintStream out;
    private int width;

    private ProgressLine(PrintStream out) {
        this.out = out;
    }

    /** A progress line on {@code out} when the JVM has a console, else null (no progress). */
    static ProgressLine onConsole(PrintStream out) {
        return System.console() == null ? null : new ProgressLine(out);
    }

    @Override
    public void accept(Driver.Progress progress) {
        String line = Report.progressLine(progress);
        out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
        out.flush();
        width = line.length();
    }

    /** Clears the line before the report. */
    void end() {
        out.print("\r" + " ".repeat(width) + "\r");
        out.flush();
    }
}
