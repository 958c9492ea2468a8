package io.tributary.server.security;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.security.AlterUserScramCredentialsRequest;
import io.tributary.protocol.message.security.AlterUserScramCredentialsRequest.ScramCredentialDeletion;
import io.tributary.protocol.message.security.AlterUserScramCredentialsRequest.ScramCredentialUpsertion;
import io.tributary.protocol.message.security.AlterUserScramCredentialsResponse;
import io.tributary.protocol.message.security.AlterUserScramCredentialsResponse.AlterUserScramCredentialsResult;
import io.tributary.protocol.message.security.DescribeUserScramCredentialsRequest;
import io.tributary.protocol.message.security.DescribeUserScramCredentialsResponse;
import io.tributary.protocol.message.security.DescribeUserScramCredentialsResponse.CredentialInfo;
import io.tributary.protocol.message.security.DescribeUserScramCredentialsResponse.DescribeUserScramCredentialsResult;
import io.tributary.protocol.message.security.SaslAuthenticateResponse;
import io.tributary.protocol.message.security.SaslHandshakeResponse;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.security.sasl.CredentialStore;
import io.tributary.server.security.sasl.ScramCredential;
import io.tributary.server.security.sasl.ScramMechanism;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The security APIs the dispatcher serves: SCRAM credentials (DescribeUserScramCredentials, AlterUserScramCredentials,
 * so Kafka's {@code Admin.alterUserScramCredentials} and {@code kafka-configs --entity-type users} work), and
 * SaslHandshake / SaslAuthenticate where no authentication is going on (a PLAINTEXT or SSL listener, or a connection
 * already authenticated): ILLEGAL_SASL_STATE, as Kafka answers. During authentication on a SASL listener the
 * connection answers those two itself. There is no authorizer yet, so any client may alter credentials (as on a
 * Kafka broker without an authorizer).
 */
public final class SecurityApis {
    private SecurityApis() {
    }

    public static void register(ApiDispatcher dispatcher, CredentialStore credentials) {
        dispatcher.register(ApiKey.SASL_HANDSHAKE, (context, request) -> CompletableFuture.completedFuture(ApiResponse.of(
            SaslHandshakeResponse.SCHEMA.newStruct().set(SaslHandshakeResponse.ERROR_CODE, ErrorCode.ILLEGAL_SASL_STATE.code())
                .set(SaslHandshakeResponse.MECHANISMS, List.of()))));
        dispatcher.register(ApiKey.SASL_AUTHENTICATE, (context, request) -> CompletableFuture.completedFuture(ApiResponse.of(
            SaslAuthenticateResponse.SCHEMA.newStruct()
                .set(SaslAuthenticateResponse.ERROR_CODE, ErrorCode.ILLEGAL_SASL_STATE.code())
                .set(SaslAuthenticateResponse.ERROR_MESSAGE, "SaslAuthenticate request received on a connection that is not"
                    + " authenticating (listener " + context.listenerName() + ")"))));
        dispatcher.register(ApiKey.DESCRIBE_USER_SCRAM_CREDENTIALS, (context, request) ->
            CompletableFuture.completedFuture(ApiResponse.of(describe(credentials, request))));
        dispatcher.register(ApiKey.ALTER_USER_SCRAM_CREDENTIALS, (context, request) ->
            CompletableFuture.supplyAsync(() -> ApiResponse.of(alter(credentials, request)), context.ioExecutor()));
    }

    static Struct describe(CredentialStore credentials, Struct request) {
        Struct response = DescribeUserScramCredentialsResponse.SCHEMA.newStruct()
            .set(DescribeUserScramCredentialsResponse.ERROR_CODE, ErrorCode.NONE.code());
        Map<String, Map<ScramMechanism, ScramCredential>> all = credentials.all();
        List<Struct> users = request.get(DescribeUserScramCredentialsRequest.USERS);
        List<String> names = new ArrayList<>();
        if (users == null || users.isEmpty()) {
            names.addAll(all.keySet());
        } else {
            users.forEach(u -> names.add(u.get(DescribeUserScramCredentialsRequest.UserName.NAME)));
        }
        Set<String> duplicates = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                duplicates.add(name);
            }
        }
        Set<String> answered = new HashSet<>();
        for (String name : names) {
            if (!answered.add(name)) {
                continue;
            }
            Struct result = response.add(DescribeUserScramCredentialsResponse.RESULTS).set(DescribeUserScramCredentialsResult.USER, name);
            Map<ScramMechanism, ScramCredential> userCredentials = all.get(name);
            if (duplicates.contains(name)) {
                result.set(DescribeUserScramCredentialsResult.ERROR_CODE, ErrorCode.DUPLICATE_RESOURCE.code())
                    .set(DescribeUserScramCredentialsResult.ERROR_MESSAGE,
                        "Cannot describe SCRAM credentials for the same user twice in a single request: " + name);
            } else if (userCredentials == null) {
                result.set(DescribeUserScramCredentialsResult.ERROR_CODE, ErrorCode.RESOURCE_NOT_FOUND.code())
                    .set(DescribeUserScramCredentialsResult.ERROR_MESSAGE, "Attempt to describe a user credential that does not exist: " + name);
            } else {
                result.set(DescribeUserScramCredentialsResult.ERROR_CODE, ErrorCode.NONE.code());
                for (ScramMechanism mechanism : ScramMechanism.values()) {
                    ScramCredential credential = userCredentials.get(mechanism);
                    if (credential != null) {
                        result.add(DescribeUserScramCredentialsResult.CREDENTIAL_INFOS)
                            .set(CredentialInfo.MECHANISM, mechanism.type).set(CredentialInfo.ITERATIONS, credential.iterations());
                    }
                }
            }
        }
        return response;
    }

    /** Kafka's checks per user; a user with any refused change gets that error and none of its changes. */
    static Struct alter(CredentialStore credentials, Struct request) {
        Map<String, String> errors = new LinkedHashMap<>();       // user -> first error message
        Map<String, Short> codes = new LinkedHashMap<>();
        Map<String, List<CredentialStore.Change>> changes = new LinkedHashMap<>();
        Set<String> touched = new HashSet<>();                    // user + mechanism
        for (Struct deletion : request.get(AlterUserScramCredentialsRequest.DELETIONS)) {
            String user = deletion.get(ScramCredentialDeletion.NAME);
            changes.computeIfAbsent(user, u -> new ArrayList<>());
            ScramMechanism mechanism = ScramMechanism.ofType(deletion.get(ScramCredentialDeletion.MECHANISM));
            if (user.isEmpty()) {
                refuse(errors, codes, user, ErrorCode.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
            } else if (mechanism == null) {
                refuse(errors, codes, user, ErrorCode.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
            } else if (!touched.add(user + "\0" + mechanism)) {
                refuse(errors, codes, user, ErrorCode.DUPLICATE_RESOURCE, "A user credential cannot be altered twice in the same request");
            } else if (credentials.credential(user, mechanism) == null) {
                refuse(errors, codes, user, ErrorCode.RESOURCE_NOT_FOUND, "Attempt to delete a user credential that does not exist");
            } else {
                changes.get(user).add(new CredentialStore.Change(user, mechanism, null));
            }
        }
        for (Struct upsertion : request.get(AlterUserScramCredentialsRequest.UPSERTIONS)) {
            String user = upsertion.get(ScramCredentialUpsertion.NAME);
            changes.computeIfAbsent(user, u -> new ArrayList<>());
            ScramMechanism mechanism = ScramMechanism.ofType(upsertion.get(ScramCredentialUpsertion.MECHANISM));
            int iterations = upsertion.get(ScramCredentialUpsertion.ITERATIONS);
            if (user.isEmpty()) {
                refuse(errors, codes, user, ErrorCode.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
            } else if (mechanism == null) {
                refuse(errors, codes, user, ErrorCode.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
            } else if (!touched.add(user + "\0" + mechanism)) {
                refuse(errors, codes, user, ErrorCode.DUPLICATE_RESOURCE, "A user credential cannot be altered twice in the same request");
            } else if (iterations < ScramMechanism.MIN_ITERATIONS) {
                refuse(errors, codes, user, ErrorCode.UNACCEPTABLE_CREDENTIAL, "Too few iterations");
            } else if (iterations > ScramMechanism.MAX_ITERATIONS) {
                refuse(errors, codes, user, ErrorCode.UNACCEPTABLE_CREDENTIAL, "Too many iterations");
            } else {
                changes.get(user).add(new CredentialStore.Change(user, mechanism, mechanism.credential(
                    bytes(upsertion.get(ScramCredentialUpsertion.SALT)), bytes(upsertion.get(ScramCredentialUpsertion.SALTED_PASSWORD)),
                    iterations)));
            }
        }
        List<CredentialStore.Change> accepted = new ArrayList<>();
        changes.forEach((user, userChanges) -> {
            if (!codes.containsKey(user)) {
                accepted.addAll(userChanges);
            }
        });
        if (!accepted.isEmpty()) {
            credentials.apply(accepted);
        }
        Struct response = AlterUserScramCredentialsResponse.SCHEMA.newStruct();
        for (String user : changes.keySet()) {
            Struct result = response.add(AlterUserScramCredentialsResponse.RESULTS).set(AlterUserScramCredentialsResult.USER, user);
            Short code = codes.get(user);
            result.set(AlterUserScramCredentialsResult.ERROR_CODE, code == null ? ErrorCode.NONE.code() : code);
            if (code != null) {
                result.set(AlterUserScramCredentialsResult.ERROR_MESSAGE, errors.get(user));
            }
        }
        return response;
    }

    private static void refuse(Map<String, String> errors, Map<String, Short> codes, String user, ErrorCode code, String message) {
        if (!codes.containsKey(user)) {
            codes.put(user, code.code());
            errors.put(user, message);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer == null ? 0 : buffer.remaining()];
        if (buffer != null) {
            buffer.duplicate().get(bytes);
        }
        return bytes;
    }
}
