package io.tributary.server.security.authz;

import io.tributary.log.checkpoint.CrashSafeFile;
import io.tributary.log.checkpoint.VersionedTextFile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * ACL bindings in one file of the broker's first log directory, {@code acls}, replaced whole and crash-safely
 * ({@link CrashSafeFile}) on every change. Text, one binding a line after a version line:
 * <pre>
 * 1
 * resource_type pattern_type base64url(resource_name) base64url(principal) base64url(host) operation permission
 * </pre>
 * (types, operation and permission by their Kafka enum names; names base64url so any character survives). Reads
 * go to an immutable snapshot swapped after each write.
 */
public final class FileAclStore implements AclStore {
    public static final String FILE_NAME = "acls";
    private static final String VERSION = "1";

    private final Path file;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Set<AclBinding> acls;

    private FileAclStore(Path file, Set<AclBinding> acls) {
        this.file = file;
        this.acls = acls;
    }

    /** Reads {@code dir/acls}, or starts empty when there is none. */
    public static FileAclStore open(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        Set<AclBinding> acls = new LinkedHashSet<>();
        for (String line : VersionedTextFile.readEntries(file, VERSION)) {
            acls.add(parse(file, line));
        }
        return new FileAclStore(file, Set.copyOf(acls));
    }

    private static AclBinding parse(Path file, String line) {
        String[] f = line.split(" ");
        try {
            if (f.length != 7) {
                throw new IllegalArgumentException("7 fields expected");
            }
            Base64.Decoder b64 = Base64.getUrlDecoder();
            return new AclBinding(ResourceType.valueOf(f[0]), new String(b64.decode(f[2]), StandardCharsets.UTF_8),
                PatternType.valueOf(f[1]), new String(b64.decode(f[3]), StandardCharsets.UTF_8),
                new String(b64.decode(f[4]), StandardCharsets.UTF_8), AclOperation.valueOf(f[5]), AclPermission.valueOf(f[6]));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Malformed line in " + file + " (" + e.getMessage() + "): "
                + line.substring(0, Math.min(line.length(), 60)), e);
        }
    }

    @Override
    public Set<AclBinding> all() {
        return acls;
    }

    @Override
    public void apply(Collection<AclBinding> added, Collection<AclBinding> removed) {
        synchronized (this) {
            Set<AclBinding> next = new LinkedHashSet<>(acls);
            next.removeAll(removed);
            next.addAll(added);
            if (next.equals(acls)) {
                return;
            }
            StringBuilder text = new StringBuilder();
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            for (AclBinding acl : next) {
                text.append(acl.resourceType().name()).append(' ').append(acl.patternType().name()).append(' ')
                    .append(b64.encodeToString(acl.resourceName().getBytes(StandardCharsets.UTF_8))).append(' ')
                    .append(b64.encodeToString(acl.principal().getBytes(StandardCharsets.UTF_8))).append(' ')
                    .append(b64.encodeToString(acl.host().getBytes(StandardCharsets.UTF_8))).append(' ')
                    .append(acl.operation().name()).append(' ').append(acl.permission().name()).append('\n');
            }
            VersionedTextFile.write(file, VERSION, text);
            acls = Set.copyOf(next);
        }
        listeners.forEach(Runnable::run);
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }
}
