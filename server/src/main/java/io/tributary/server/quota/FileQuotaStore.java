package io.tributary.server.quota;

import io.tributary.log.checkpoint.CrashSafeFile;
import io.tributary.log.checkpoint.VersionedTextFile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Client quotas in one file of the broker's first log directory, {@code client-quotas}, replaced whole and crash-safely
 * ({@link CrashSafeFile}) on every change. Text, one quota a line after a version line:
 * <pre>
 * 1
 * user client-id key value
 * </pre>
 * where each of user and client-id is {@code -} (absent), {@code =} (the default entity) or base64url of the name, and
 * value a decimal. Reads go to an immutable snapshot swapped after each write.
 */
public final class FileQuotaStore implements QuotaStore {
    public static final String FILE_NAME = "client-quotas";
    private static final String VERSION = "1";

    private final Path file;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<QuotaEntity, Map<String, Double>> quotas;

    private FileQuotaStore(Path file, Map<QuotaEntity, Map<String, Double>> quotas) {
        this.file = file;
        this.quotas = quotas;
    }

    public static FileQuotaStore open(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        Map<QuotaEntity, Map<String, Double>> quotas = new LinkedHashMap<>();
        for (String line : VersionedTextFile.readEntries(file, VERSION)) {
            String[] f = line.split(" ");
            try {
                if (f.length != 4) {
                    throw new IllegalArgumentException("4 fields expected");
                }
                QuotaEntity entity = new QuotaEntity(component(f[0]), component(f[1]));
                quotas.computeIfAbsent(entity, e -> new LinkedHashMap<>()).put(f[2], Double.parseDouble(f[3]));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Malformed line in " + file + " (" + e.getMessage() + "): "
                    + line.substring(0, Math.min(line.length(), 60)), e);
            }
        }
        return new FileQuotaStore(file, freeze(quotas));
    }

    private static QuotaEntity.Component component(String text) {
        return switch (text) {
            case "-" -> null;
            case "=" -> QuotaEntity.Component.DEFAULT;
            default -> new QuotaEntity.Component(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
        };
    }

    private static String text(QuotaEntity.Component component) {
        if (component == null) {
            return "-";
        }
        return component.isDefault() ? "=" : Base64.getUrlEncoder().withoutPadding().encodeToString(component.name().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<QuotaEntity, Map<String, Double>> freeze(Map<QuotaEntity, Map<String, Double>> quotas) {
        Map<QuotaEntity, Map<String, Double>> frozen = new LinkedHashMap<>();
        quotas.forEach((entity, values) -> {
            if (!values.isEmpty()) {
                frozen.put(entity, Map.copyOf(values));
            }
        });
        return java.util.Collections.unmodifiableMap(frozen);
    }

    @Override
    public Map<QuotaEntity, Map<String, Double>> all() {
        return quotas;
    }

    @Override
    public void apply(List<Change> changes) {
        synchronized (this) {
            Map<QuotaEntity, Map<String, Double>> next = new LinkedHashMap<>();
            quotas.forEach((entity, values) -> next.put(entity, new LinkedHashMap<>(values)));
            for (Change change : changes) {
                Map<String, Double> values = next.computeIfAbsent(change.entity(), e -> new LinkedHashMap<>());
                if (change.value() == null) {
                    values.remove(change.key());
                } else {
                    values.put(change.key(), change.value());
                }
            }
            Map<QuotaEntity, Map<String, Double>> frozen = freeze(next);
            StringBuilder content = new StringBuilder();
            frozen.forEach((entity, values) -> values.forEach((key, value) -> content.append(text(entity.user())).append(' ')
                .append(text(entity.clientId())).append(' ').append(key).append(' ').append(value).append('\n')));
            VersionedTextFile.write(file, VERSION, content);
            quotas = frozen;
        }
        listeners.forEach(Runnable::run);
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }
}
