package io.tributary.server.quota;

/**
 * What a client quota applies to, Kafka's entity: a user, a client id, or a user and a client id together, each either
 * named or the type's default ({@code <default>} in kafka-configs). A null component is absent; a component with a null
 * name is the default entity of its type.
 */
public record QuotaEntity(Component user, Component clientId) {
    public static final String USER = "user";
    public static final String CLIENT_ID = "client-id";

    /** One component: {@code name} null for the default entity. */
    public record Component(String name) {
        public static final Component DEFAULT = new Component(null);

        public boolean isDefault() {
            return name == null;
        }

        @Override
        public String toString() {
            return name == null ? "<default>" : name;
        }
    }

    public QuotaEntity {
        if (user == null && clientId == null) {
            throw new IllegalArgumentException("A quota entity names a user, a client id or both");
        }
    }

    public static QuotaEntity of(String user, String clientId) {
        return new QuotaEntity(user == null ? null : new Component(user), clientId == null ? null : new Component(clientId));
    }

    @Override
    public String toString() {
        return (user == null ? "" : "user=" + user) + (user != null && clientId != null ? "," : "")
            + (clientId == null ? "" : "client-id=" + clientId);
    }
}
