package io.tributary.clients.security.sasl;

import io.tributary.clients.security.JaasConfig;

import javax.security.sasl.SaslException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The client of SASL OAUTHBEARER (RFC 7628) as Kafka speaks it: one message {@code n,,^Aauth=Bearer TOKEN[^Akey=value...]^A^A}
 * (^A is 0x01, the key=value pairs are SASL extensions). The token is either read from a file at each authentication
 * (so a token refreshed by an outside agent is used on the next connection or re-authentication), or Kafka's unsecured
 * development token made from the JAAS options, as OAuthBearerUnsecuredLoginCallbackHandler does: a JWS with
 * {@code alg=none}, claims from {@code unsecuredLoginStringClaim_NAME}, {@code unsecuredLoginNumberClaim_NAME} and
 * {@code unsecuredLoginListClaim_NAME} (the value's first character is the list separator), {@code iat} now and
 * {@code exp} {@code unsecuredLoginLifetimeSeconds} (3600) later; the principal claim
 * ({@code unsecuredLoginPrincipalClaimName}, default {@code sub}) must be among the claims.
 *
 * <p>A broker that refuses a token may answer with an error challenge (RFC 7628 section 3.2.2) instead of an error code;
 * the client then sends the single byte 0x01 and the broker's error code and message follow.
 */
public final class OAuthBearerClient implements SaslMechanismClient {
    private static final String SEPARATOR = "\u0001";
    private static final String STRING_CLAIM = "unsecuredLoginStringClaim_";
    private static final String NUMBER_CLAIM = "unsecuredLoginNumberClaim_";
    private static final String LIST_CLAIM = "unsecuredLoginListClaim_";
    private static final String EXTENSION = "unsecuredLoginExtension_";

    private final TokenSource source;
    private final Map<String, String> extensions;
    private boolean sent;
    private boolean errorAcknowledged;
    private boolean complete;

    private interface TokenSource {
        String token() throws SaslException;
    }

    private OAuthBearerClient(TokenSource source, Map<String, String> extensions) {
        this.source = source;
        this.extensions = extensions;
    }

    /** The token in {@code file} (surrounding white space dropped), read when the exchange starts. */
    public static OAuthBearerClient fromFile(Path file) {
        return new OAuthBearerClient(() -> {
            try {
                String token = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (token.isEmpty()) {
                    throw new SaslException("the OAUTHBEARER token file " + file + " is empty");
                }
                return token;
            } catch (IOException e) {
                throw new SaslException("cannot read the OAUTHBEARER token file " + file + ": " + e.getMessage(), e);
            }
        }, Map.of());
    }

    /** Kafka's unsecured token from the JAAS options, made afresh (new iat and exp) at each authentication. */
    public static OAuthBearerClient unsecured(JaasConfig jaas) {
        checkUnsecuredOptions(jaas);
        Map<String, String> extensions = new TreeMap<>();
        jaas.options().forEach((k, v) -> {
            if (k.startsWith(EXTENSION)) {
                extensions.put(k.substring(EXTENSION.length()), v);
            }
        });
        return new OAuthBearerClient(() -> unsecuredToken(jaas.options(), System.currentTimeMillis()), Map.copyOf(extensions));
    }

    /** @throws IllegalArgumentException when the options cannot make a token (no principal claim, a bad number) */
    public static void checkUnsecuredOptions(JaasConfig jaas) {
        String principalClaim = jaas.options().getOrDefault("unsecuredLoginPrincipalClaimName", "sub");
        if (!jaas.options().containsKey(STRING_CLAIM + principalClaim)) {
            throw new io.tributary.clients.config.ConfigException("sasl.jaas.config", "An unsecured OAUTHBEARER token needs "
                + STRING_CLAIM + principalClaim + " (the principal's name), or set sasl.oauthbearer.token.endpoint.url to a token file");
        }
        try {
            Long.parseLong(jaas.options().getOrDefault("unsecuredLoginLifetimeSeconds", "3600"));
            jaas.options().forEach((k, v) -> {
                if (k.startsWith(NUMBER_CLAIM)) {
                    Double.parseDouble(v);
                }
            });
        } catch (NumberFormatException e) {
            throw new io.tributary.clients.config.ConfigException("sasl.jaas.config",
                "unsecuredLoginLifetimeSeconds and unsecuredLoginNumberClaim_* options must be numbers");
        }
    }

    /** Kafka's unsecured token (alg none) for the {@code unsecuredLogin*} JAAS options, issued at {@code nowMs}. */
    public static String unsecuredToken(Map<String, String> options, long nowMs) {
        long lifetimeSeconds = Long.parseLong(options.getOrDefault("unsecuredLoginLifetimeSeconds", "3600"));
        StringBuilder claims = new StringBuilder("{\"iat\":").append(nowMs / 1000).append(",\"exp\":").append(nowMs / 1000 + lifetimeSeconds);
        new TreeMap<>(options).forEach((k, v) -> {
            if (k.startsWith(STRING_CLAIM)) {
                claims.append(',').append(json(k.substring(STRING_CLAIM.length()))).append(':').append(json(v));
            } else if (k.startsWith(NUMBER_CLAIM)) {
                claims.append(',').append(json(k.substring(NUMBER_CLAIM.length()))).append(':').append(v.trim());
            } else if (k.startsWith(LIST_CLAIM) && !v.isEmpty()) {
                StringBuilder list = new StringBuilder("[");
                for (String item : v.substring(1).split(java.util.regex.Pattern.quote(v.substring(0, 1)), -1)) {
                    if (!item.isEmpty()) {
                        list.append(list.length() > 1 ? "," : "").append(json(item));
                    }
                }
                claims.append(',').append(json(k.substring(LIST_CLAIM.length()))).append(':').append(list).append(']');
            }
        });
        claims.append('}');
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
            + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private static String json(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    @Override
    public String mechanism() {
        return "OAUTHBEARER";
    }

    @Override
    public byte[] initialResponse() throws SaslException {
        StringBuilder message = new StringBuilder("n,,").append(SEPARATOR).append("auth=Bearer ").append(source.token());
        extensions.forEach((k, v) -> message.append(SEPARATOR).append(k).append('=').append(v));
        message.append(SEPARATOR).append(SEPARATOR);
        sent = true;
        return message.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] evaluate(byte[] challenge) throws SaslException {
        if (!sent) {
            throw new SaslException("OAUTHBEARER: a server message before the client's");
        }
        if (challenge.length > 0 && !errorAcknowledged) {
            // An error challenge: acknowledge it so that the broker answers with its error code and message.
            errorAcknowledged = true;
            return SEPARATOR.getBytes(StandardCharsets.US_ASCII);
        }
        complete = true;
        return null;
    }

    @Override
    public boolean isComplete() {
        return complete;
    }
}
