/** Wire schemas of the security APIs: SaslHandshake, SaslAuthenticate and the SCRAM credential APIs. */
package io.tributary.protocol.message.security;
