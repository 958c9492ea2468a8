package io.tributary.server.quota;

/** The client quotas the broker enforces, by Kafka's config key. */
public enum QuotaType {
    /** Bytes per second of Produce requests' records. */
    PRODUCE("producer_byte_rate"),
    /** Bytes per second of Fetch responses' records. */
    FETCH("consumer_byte_rate"),
    /** Percent of one thread's time spent handling the client's requests. */
    REQUEST("request_percentage");

    public final String key;

    QuotaType(String key) {
        this.key = key;
    }

    public static QuotaType ofKey(String key) {
        for (QuotaType type : values()) {
            if (type.key.equals(key)) {
                return type;
            }
        }
        return null;
    }
}
