package io.tributary.server.security.sasl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How OAUTHBEARER tokens are validated. Without a JWKS ({@code jwks} empty) the broker accepts Kafka's unsecured JWS
 * tokens (alg {@code none}), for development, as Kafka's default OAuthBearerUnsecuredValidatorCallbackHandler does; the
 * principal is the {@code principalClaim} claim. With {@code sasl.oauthbearer.jwks.endpoint.url} naming a JWKS file
 * ({@code file:} URL), only RS256 and ES256 tokens signed by one of its keys are accepted, with the expected issuer and
 * audience when those are configured, and the principal from {@code sasl.oauthbearer.sub.claim.name}.
 *
 * @param jwks           key id -> public key (RSA or EC P-256); empty for unsecured tokens
 * @param principalClaim the claim naming the principal
 * @param clockSkewMs    how far past {@code exp} a token is still accepted
 * @param issuer         the required {@code iss}, or null
 * @param audience       one of these must be in {@code aud}; empty for no check
 */
public record OAuthBearerSettings(Map<String, PublicKey> jwks, String principalClaim, long clockSkewMs, String issuer,
                                  List<String> audience) {
    public static final OAuthBearerSettings UNSECURED = new OAuthBearerSettings(Map.of(), "sub", 0, null, List.of());

    public OAuthBearerSettings {
        jwks = Map.copyOf(jwks);
        audience = List.copyOf(audience);
    }

    public boolean unsecured() {
        return jwks.isEmpty();
    }

    /** Reads the JWKS at {@code url} (a {@code file:} URL: the broker fetches nothing over the network). */
    public static Map<String, PublicKey> readJwks(String url) {
        URI uri = URI.create(url);
        if (!"file".equals(uri.getScheme())) {
            throw new IllegalArgumentException("sasl.oauthbearer.jwks.endpoint.url must be a file: URL, not " + url);
        }
        Path file = Path.of(uri);
        try {
            return parseJwks(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the JWKS " + file, e);
        }
    }

    /** The RSA and EC (P-256) keys of a JWKS document by key id; other key types are skipped. */
    @SuppressWarnings("unchecked")
    static Map<String, PublicKey> parseJwks(String json) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        Object list = Json.object(json).get("keys");
        if (!(list instanceof List<?> entries)) {
            throw new IllegalArgumentException("A JWKS has a \"keys\" array");
        }
        Base64.Decoder b64 = Base64.getUrlDecoder();
        for (Object entry : entries) {
            Map<String, Object> jwk = (Map<String, Object>) entry;
            String kid = String.valueOf(jwk.getOrDefault("kid", ""));
            try {
                if ("RSA".equals(jwk.get("kty"))) {
                    keys.put(kid, KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                        new BigInteger(1, b64.decode((String) jwk.get("n"))), new BigInteger(1, b64.decode((String) jwk.get("e"))))));
                } else if ("EC".equals(jwk.get("kty")) && "P-256".equals(jwk.get("crv"))) {
                    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                    parameters.init(new ECGenParameterSpec("secp256r1"));
                    ECPoint point = new ECPoint(new BigInteger(1, b64.decode((String) jwk.get("x"))),
                        new BigInteger(1, b64.decode((String) jwk.get("y"))));
                    keys.put(kid, KeyFactory.getInstance("EC").generatePublic(
                        new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class))));
                }
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new IllegalArgumentException("Invalid key " + kid + " in the JWKS: " + e.getMessage(), e);
            }
        }
        return keys;
    }
}
