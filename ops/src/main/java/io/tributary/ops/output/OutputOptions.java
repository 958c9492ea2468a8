package io.tributary.ops.output;

import picocli.CommandLine.Option;

/** The {@code --output} option, mixed into every command that prints a result. */
public final class OutputOptions {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table (default, for people) or json (one JSON document, for scripts).")
    OutputFormat format = OutputFormat.TABLE;

    public OutputFormat format() {
        return format;
    }

    public boolean json() {
        return format == OutputFormat.JSON;
    }
}
