package io.tributary.console.auth;

import java.util.Optional;

/**
 * Who may use the console and as whom: checks a user name and password and names the principal the person then
 * acts as ({@code User:alice}). Inside a broker that requires authentication the broker's own SASL users are the
 * console's users; standalone, a user list the operator gives ({@link UserListLogin}).
 */
public interface Login {
    /** The principal of {@code user} when {@code password} is right, else empty; never throws for a wrong password. */
    Optional<String> authenticate(String user, String password);

    /** Where the users come from, in a few words, for the login page ("the broker's SASL users"). */
    String source();
}
