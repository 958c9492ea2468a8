package io.tributary.ops.arguments;

import picocli.CommandLine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Repeated {@code KEY=VALUE} options (topic configs, client properties): parsed in order, the last one of a key wins. */
public final class KeyValues {
    private KeyValues() {
    }

    /** @throws CommandLine.ParameterException naming the option and the malformed value */
    public static Map<String, String> parse(CommandLine commandLine, String option, List<String> values) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String value : values) {
            int eq = value.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(commandLine, option + " takes KEY=VALUE, got '" + value + "'");
            }
            parsed.put(value.substring(0, eq).trim(), value.substring(eq + 1));
        }
        return parsed;
    }
}
