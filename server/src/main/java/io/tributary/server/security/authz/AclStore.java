package io.tributary.server.security.authz;

import java.util.Collection;
import java.util.Set;

/**
 * The cluster's ACL bindings. An interface so the metadata quorum can hold them once brokers form a cluster; today
 * {@link FileAclStore} keeps them in a file of the broker. Reads return an immutable snapshot without locking (every
 * authorization decision after a change starts from one); changes are applied as one batch.
 */
public interface AclStore {
    /** Every binding, an immutable set. */
    Set<AclBinding> all();

    /**
     * Adds {@code added} and removes {@code removed} together: after a crash either both are in effect or neither. Adding a
     * binding already present and removing one that is absent are no-ops. Listeners registered with
     * {@link #onChange(Runnable)} run after the change is visible.
     */
    void apply(Collection<AclBinding> added, Collection<AclBinding> removed);

    /** Runs {@code listener} after every change (the authorizer rebuilds its index there). */
    void onChange(Runnable listener);
}
