package io.tributary.server.network;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigValues;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many client connections a listener accepts, under Kafka's key names ({@link #KEYS}): {@code max.connections} in all
 * and {@code max.connections.per.ip} from one address, with {@code max.connections.per.ip.overrides} ({@code host:count}
 * pairs, a host name resolved once at start) for particular addresses. Each listener counts its own connections.
 *
 * @param maxConnections      max.connections
 * @param maxPerIp            max.connections.per.ip
 * @param perIpOverrides      IP address (as text) -> its own limit
 */
public record ConnectionLimits(int maxConnections, int maxPerIp, Map<String, Integer> perIpOverrides) {
    /** No limits: the listeners get no limiter at all. */
    public static final ConnectionLimits NONE = new ConnectionLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Map.of());

    private static final ConfigDefinition.Builder OWN = ConfigDefinition.builder();

    public static final ConfigKey<Integer> MAX_CONNECTIONS = OWN.add(ConfigKey.intKey("max.connections")
        .defaultValue(Integer.MAX_VALUE).inRange(0, Integer.MAX_VALUE)
        .documentation("The most client connections each listener keeps open; a connection beyond it is closed at once.").build());
    public static final ConfigKey<Integer> MAX_CONNECTIONS_PER_IP = OWN.add(ConfigKey.intKey("max.connections.per.ip")
        .defaultValue(Integer.MAX_VALUE).inRange(0, Integer.MAX_VALUE)
        .documentation("The most connections each listener keeps open from one IP address; a connection beyond it is closed"
            + " at once.").build());
    public static final ConfigKey<List<String>> MAX_CONNECTIONS_PER_IP_OVERRIDES = OWN.add(ConfigKey.listKey(
            "max.connections.per.ip.overrides", ConfigKey.ListSyntax.of("host:count pairs").strict()
                .checkedBy(ConnectionLimits::checkOverride))
        .defaultValue(List.of()).describedAs("a comma-separated list of host:count pairs, or empty")
        .documentation("Per-address limits that replace max.connections.per.ip, e.g. 127.0.0.1:200,build-agent:5.").build());

    /** Every connection-limit key, in the reference's order. */
    public static final ConfigDefinition KEYS = OWN.build();

    private static String checkOverride(String entry) {
        int colon = entry.lastIndexOf(':');
        if (colon <= 0 || colon == entry.length() - 1) {
            throw new IllegalArgumentException();
        }
        if (Integer.parseInt(entry.substring(colon + 1).trim()) < 0) {
            throw new IllegalArgumentException();
        }
        return entry;
    }

    public static ConnectionLimits of(ConfigValues values) {
        Map<String, Integer> overrides = new HashMap<>();
        for (String entry : values.get(MAX_CONNECTIONS_PER_IP_OVERRIDES)) {
            int colon = entry.lastIndexOf(':');
            String host = entry.substring(0, colon).trim();
            int limit = Integer.parseInt(entry.substring(colon + 1).trim());
            try {
                overrides.put(InetAddress.getByName(host).getHostAddress(), limit);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("max.connections.per.ip.overrides names host " + host + ", which does not resolve", e);
            }
        }
        return new ConnectionLimits(values.get(MAX_CONNECTIONS), values.get(MAX_CONNECTIONS_PER_IP), Map.copyOf(overrides));
    }

    public boolean limitsAnything() {
        return maxConnections != Integer.MAX_VALUE || maxPerIp != Integer.MAX_VALUE || !perIpOverrides.isEmpty();
    }

    int limitFor(String address) {
        return perIpOverrides.getOrDefault(address, maxPerIp);
    }
}
