package io.tributary.clients.admin;

/**
 * Something that has configs: a topic, or a broker (by its id, or "" for the cluster-wide defaults).
 *
 * @param type the kind of resource, with Kafka's wire id
 * @param name the topic name or broker id
 */
public record ConfigResource(Type type, String name) {
    /** Kafka's config resource types that Tributary brokers serve, with their wire ids. */
    public enum Type {
        TOPIC(2), BROKER(4);

        final byte id;

        Type(int id) {
            this.id = (byte) id;
        }

        public byte id() {
            return id;
        }

        static Type forId(byte id) {
            for (Type t : values()) {
                if (t.id == id) {
                    return t;
                }
            }
            throw new IllegalArgumentException("Config resource type " + id + " is not one of " + java.util.Arrays.toString(values()));
        }
    }

    public ConfigResource {
        if (type == null || name == null) {
            throw new IllegalArgumentException("A config resource needs a type and a name, got " + type + " and " + name);
        }
    }

    public static ConfigResource topic(String name) {
        return new ConfigResource(Type.TOPIC, name);
    }

    public static ConfigResource broker(int id) {
        return new ConfigResource(Type.BROKER, Integer.toString(id));
    }

    @Override
    public String toString() {
        return type == Type.TOPIC ? "topic '" + name + "'" : name.isEmpty() ? "the broker defaults" : "broker " + name;
    }
}
