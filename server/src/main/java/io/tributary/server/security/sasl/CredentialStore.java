package io.tributary.server.security.sasl;

import java.util.List;
import java.util.Map;

/**
 * The SCRAM credentials of the cluster's users, by user and mechanism. An interface so the metadata quorum can hold
 * them once brokers form a cluster; today {@link FileCredentialStore} keeps them in a file of the broker. Reads are
 * lock-free and may run on event loops (every SCRAM authentication reads once); changes are applied as one batch.
 */
public interface CredentialStore {
    /** The credential of {@code user} for {@code mechanism}, or null. */
    ScramCredential credential(String user, ScramMechanism mechanism);

    /** Every user with the mechanisms it has credentials for. */
    Map<String, Map<ScramMechanism, ScramCredential>> all();

    /** One change of a batch: a credential set (upsert) or removed ({@code credential} null). */
    record Change(String user, ScramMechanism mechanism, ScramCredential credential) {
    }

    /** Applies {@code changes} together: after a crash either all of them or none are in effect. */
    void apply(List<Change> changes);
}
