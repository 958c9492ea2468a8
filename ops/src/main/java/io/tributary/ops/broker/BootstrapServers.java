package io.tributary.ops.broker;

import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

/** The brokers a command contacts first: {@code HOST:PORT[,HOST:PORT...]}, as Kafka's bootstrap.servers. */
public record BootstrapServers(List<Address> addresses) {

    /** One broker address. */
    public record Address(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** @throws IllegalArgumentException naming the value and the expected form */
    public static BootstrapServers parse(String value) {
        List<Address> addresses = new ArrayList<>();
        for (String part : value.split(",")) {
            String hostPort = part.trim();
            int colon = hostPort.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(hostPort.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("expected HOST:PORT[,HOST:PORT...] with ports in [1, 65535], got '" + value + "'");
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            addresses.add(new Address(host, port));
        }
        return new BootstrapServers(List.copyOf(addresses));
    }

    /** What Tributary's clients take as bootstrap.servers. */
    public String config() {
        return String.join(",", addresses.stream().map(Address::toString).toList());
    }

    @Override
    public String toString() {
        return config();
    }

    /** Picocli conversion: a malformed value is a usage error naming it. */
    static final class Converter implements CommandLine.ITypeConverter<BootstrapServers> {
        @Override
        public BootstrapServers convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
