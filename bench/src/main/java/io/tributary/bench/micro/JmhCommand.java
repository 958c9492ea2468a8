package io.tributary.bench.micro;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jmh}: hands its arguments to JMH's own command line, so every JMH option works as documented there. */
@Command(name = "jmh", mixinStandardHelpOptions = false,
    description = "Run the JMH micro-benchmarks; arguments go to JMH (e.g. -l to list, -h for its help, a regex to pick).")
public final class JmhCommand implements Callable<Integer> {
    /** Everything after {@code jmh}, in order: picocli leaves it alone and JMH parses it. */
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(args.toArray(String[]::new));
        return 0;
    }
}
