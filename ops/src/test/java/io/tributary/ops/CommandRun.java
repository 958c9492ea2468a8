package io.tributary.ops;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** One {@code tributary} command line run in this JVM: its exit status and what it printed. */
public record CommandRun(int exit, String out, String err) {

    public static CommandRun of(String... args) {
        return withInput("", args);
    }

    /** Runs with {@code input} as standard input. */
    public static CommandRun withInput(String input, String... args) {
        return withInput(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), args);
    }

    public static CommandRun withInput(InputStream input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Tributary.run(args, input, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CommandRun(exit, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
