package io.tributary.server.security.sasl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * SASL OAUTHBEARER (RFC 7628) as Kafka's clients speak it: one client message, the GS2 header and {@code auth=Bearer
 * <token>} between 0x01 separators (SASL extensions after it are ignored). The token is a JWS in compact form, validated
 * as {@link OAuthBearerSettings} says: the signature (or alg {@code none} when unsecured), {@code exp} (required, with the
 * clock skew), {@code iss} and {@code aud} when configured, and the principal claim. A refusal says why (expired, bad
 * signature, unknown key, missing claim) without echoing the token. The token's expiry bounds the session
 * ({@link #credentialExpiryMs()}) for re-authentication (KIP-368).
 */
public final class OAuthBearerExchange implements SaslExchange {
    private static final String SEPARATOR = "\u0001";

    private final OAuthBearerSettings settings;
    private final LongSupplier clock;
    private boolean done;
    private long expiryMs = Long.MAX_VALUE;

    public OAuthBearerExchange(OAuthBearerSettings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public long credentialExpiryMs() {
        return expiryMs;
    }

    @Override
    public Step evaluate(byte[] token) {
        if (done) {
            return Step.refused("Authentication failed: OAUTHBEARER takes one client message");
        }
        done = true;
        String message = new String(token, StandardCharsets.UTF_8);
        String[] parts = message.split(SEPARATOR, -1);
        if (parts.length < 3 || !parts[0].startsWith("n,")) {
            return Step.refused("Authentication failed: Invalid OAUTHBEARER client first message");
        }
        String bearer = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("auth=")) {
                bearer = parts[i].substring("auth=".length());
            }
        }
        if (bearer == null || !bearer.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Step.refused("Authentication failed: Invalid OAUTHBEARER client first message: no auth=Bearer");
        }
        try {
            String principal = validate(bearer.substring(7).trim());
            return Step.done(new byte[0], principal);
        } catch (IllegalArgumentException e) {
            return Step.refused("Authentication failed: " + e.getMessage());
        }
    }

    /** The principal of a valid token; an IllegalArgumentException saying why the token is refused. */
    String validate(String jws) {
        String[] parts = jws.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("the token is not a JWS in compact serialization (3 parts)");
        }
        Base64.Decoder b64 = Base64.getUrlDecoder();
        Map<String, Object> header;
        Map<String, Object> claims;
        byte[] signature;
        try {
            header = Json.object(new String(b64.decode(parts[0]), StandardCharsets.UTF_8));
            claims = Json.object(new String(b64.decode(parts[1]), StandardCharsets.UTF_8));
            signature = b64.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the token does not decode (" + e.getMessage() + ")");
        }
        Object alg = header.get("alg");
        if (settings.unsecured()) {
            if (!"none".equals(alg) || signature.length != 0) {
                throw new IllegalArgumentException("only unsecured tokens (alg none) are accepted on this listener");
            }
        } else {
            verifySignature(alg, header.get("kid"), (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), signature);
        }
        if (!(claims.get("exp") instanceof Double exp)) {
            throw new IllegalArgumentException("the token has no exp claim");
        }
        long expiry = (long) (exp * 1000);
        if (clock.getAsLong() > expiry + settings.clockSkewMs()) {
            throw new IllegalArgumentException("the token expired at " + java.time.Instant.ofEpochMilli(expiry));
        }
        if (settings.issuer() != null && !settings.issuer().equals(claims.get("iss"))) {
            throw new IllegalArgumentException("the token's issuer is not " + settings.issuer());
        }
        if (!settings.audience().isEmpty()) {
            Object aud = claims.get("aud");
            List<?> audiences = aud instanceof List<?> l ? l : aud == null ? List.of() : List.of(aud);
            if (audiences.stream().noneMatch(settings.audience()::contains)) {
                throw new IllegalArgumentException("the token's audience is none of " + settings.audience());
            }
        }
        if (!(claims.get(settings.principalClaim()) instanceof String principal) || principal.isEmpty()) {
            throw new IllegalArgumentException("the token has no " + settings.principalClaim() + " claim");
        }
        expiryMs = expiry;
        return principal;
    }

    private void verifySignature(Object alg, Object kid, byte[] signed, byte[] signature) {
        String algorithm;
        if ("RS256".equals(alg)) {
            algorithm = "SHA256withRSA";
        } else if ("ES256".equals(alg)) {
            algorithm = "SHA256withECDSAinP1363Format"; // JWS carries R || S, not DER
        } else {
            throw new IllegalArgumentException("signature algorithm " + alg + " is not accepted (RS256, ES256)");
        }
        PublicKey key = kid instanceof String id ? settings.jwks().get(id)
            : settings.jwks().size() == 1 ? settings.jwks().values().iterator().next() : null;
        if (key == null) {
            throw new IllegalArgumentException("no key " + kid + " in the JWKS");
        }
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(signed);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("the token's signature does not verify");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the token's signature does not verify (" + e.getMessage() + ")");
        }
    }
}
