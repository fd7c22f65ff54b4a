package dev.robustlab.cli.reproduce;

import dev.robustlab.cli.Robustlab;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code robustlab} command lines in this JVM and captures what they print. */
final class CommandRunner {

    /** The outcome of one command line. */
    record Outcome(int code, String out, String err) {
    }

    private CommandRunner() {
    }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new Robustlab());
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        int code = line.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }
}
