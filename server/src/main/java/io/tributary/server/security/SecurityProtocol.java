package io.tributary.server.security;

/**
 * Kafka's security protocols, the values of {@code listener.security.protocol.map}. Which ones a broker can serve
 * is decided by the configuration ({@code ServerConfig}); the SASL protocols wait for the SASL handshake.
 */
public enum SecurityProtocol {
    PLAINTEXT(false, false),
    SSL(true, false),
    SASL_PLAINTEXT(false, true),
    SASL_SSL(true, true);

    public final boolean tls;
    public final boolean sasl;

    SecurityProtocol(boolean tls, boolean sasl) {
        this.tls = tls;
        this.sasl = sasl;
    }

    /** The protocol named {@code name} (as spelled in the map, upper case), or null. */
    public static SecurityProtocol named(String name) {
        for (SecurityProtocol protocol : values()) {
            if (protocol.name().equals(name)) {
                return protocol;
            }
        }
        return null;
    }
}
