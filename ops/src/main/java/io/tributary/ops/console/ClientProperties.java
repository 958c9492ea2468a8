package io.tributary.ops.console;

import picocli.CommandLine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --property KEY=VALUE} options: client settings under Kafka's key names, passed to Tributary's producer
 * or consumer over what the command sets itself; the client validates them (a bad value is a usage error
 * naming key, value and range).
 */
final class ClientProperties {
    private ClientProperties() {
    }

    static Map<String, Object> parse(CommandLine commandLine, List<String> properties) {
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (String property : properties) {
            int eq = property.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(commandLine, "--property takes KEY=VALUE, got '" + property + "'");
            }
            parsed.put(property.substring(0, eq).trim(), property.substring(eq + 1));
        }
        return parsed;
    }
}
