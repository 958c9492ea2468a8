package io.tributary.server.network;

import io.tributary.server.api.RequestContext;
import io.tributary.server.security.SaslSettings;
import io.tributary.server.security.SslPrincipalMapper;
import io.tributary.server.security.sasl.CredentialStore;

/**
 * What a connection needs to know of the listener it came through: the listener's name (Metadata answers with its
 * endpoints), whether TLS is below it (log slices cannot go out with sendfile), how a client certificate's name
 * becomes a principal, and for SASL listeners the mechanisms, PLAIN users and the SCRAM credential store.
 */
record ListenerSecurity(String name, boolean tls, SslPrincipalMapper principalMapper, SaslSettings saslSettings,
                        CredentialStore credentials) {
    /** The zero-configuration listener: PLAINTEXT, anonymous clients. */
    static final ListenerSecurity PLAINTEXT = new ListenerSecurity(RequestContext.DEFAULT_LISTENER, false, null, null, null);

    boolean sasl() {
        return saslSettings != null;
    }
}
