package io.tributary.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for a listener that a child process binds later (a broker, a Ratis member, a Kafka broker).
 *
 * <p>A port is only picked here, then released, and the child binds it seconds later. Picked from the kernel's
 * ephemeral range (what {@code bind} to port 0 hands out), it could meanwhile be given to any outgoing connection or
 * to another port-0 bind on the machine, and the child's bind then fails with "Address already in use" (seen in a
 * cluster test: a node's replication listener, while the other nodes' Ratis clients and the test's proxies were
 * connecting). A fixture's start-up probe, connecting again and again before the child listens, could even be given
 * the port itself as its source port and connect to itself (TCP's simultaneous open). So ports come from below that
 * range ({@code /proc/sys/net/ipv4/ip_local_port_range}), where only an explicit bind can take one; each is checked
 * free by binding it without SO_REUSEADDR. On a machine whose ephemeral range leaves no room below it, ports come
 * from port-0 binds as before. No port is handed out twice in one test JVM, so two fixtures picking ports one after
 * the other (a cluster's and its proxies' listeners) never share one.
 */
public final class LoopbackPorts {
    /** The lowest port picked: below it live well-known and registered services' defaults. */
    private static final int FLOOR = 10_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final Set<Integer> HANDED_OUT = new java.util.HashSet<>();

    private LoopbackPorts() {
    }

    /** {@code count} distinct loopback ports, each free when picked. */
    public static synchronized int[] unused(int count) {
        Set<Integer> ports = new LinkedHashSet<>();
        int ceiling = ephemeralRangeStart();
        if (ceiling - FLOOR >= 1_000) {
            for (int attempt = 0; ports.size() < count && attempt < 1_000; attempt++) {
                int candidate = ThreadLocalRandom.current().nextInt(FLOOR, ceiling);
                if (!HANDED_OUT.contains(candidate) && !ports.contains(candidate) && bindable(candidate)) {
                    ports.add(candidate);
                }
            }
        }
        for (int attempt = 0; ports.size() < count && attempt < 1_000; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (!HANDED_OUT.contains(socket.getLocalPort())) {
                    ports.add(socket.getLocalPort());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (ports.size() < count) {
            throw new IllegalStateException("found " + ports.size() + " of " + count + " free loopback ports");
        }
        HANDED_OUT.addAll(ports);
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The first port of the kernel's ephemeral range; Linux's default 32768 when it cannot be read. */
    static int ephemeralRangeStart() {
        try {
            // readAllLines, not readString: /proc reports a size of 0, and readString then returns the first byte only
            return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false); // a port still in TIME_WAIT counts as taken
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
