package io.tributary.console.auth;

import java.util.Map;
import java.util.Optional;

/**
 * Who may use the console and as whom: checks a user name and password and names the principal the person then
 * acts as ({@code User:alice}). Inside a broker that requires authentication the broker's own SASL users are the
 * console's users; standalone, a user list the operator gives ({@link UserListLogin}).
 */
public interface Login {
    /** The principal of {@code user} when {@code password} is right, else empty; never throws for a wrong password. */
    Optional<String> authenticate(String user, String password);

    /**
     * Client settings (Kafka's keys: bootstrap.servers, security.protocol, sasl.mechanism, sasl.jaas.config) under
     * which the console's clients reach the brokers as {@code user}, so that the brokers' ACLs apply to what the user
     * sees and does; empty when the console's own clients serve everyone. Called right after {@link #authenticate}
     * accepted the same credentials.
     */
    default Map<String, Object> clientSettings(String user, String password) {
        return Map.of();
    }

    /** Where the users come from, in a few words, for the login page ("the broker's SASL users"). */
    String source();
}
