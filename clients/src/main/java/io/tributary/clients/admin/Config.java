package io.tributary.clients.admin;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The configs of one resource, by name, in the order the broker listed them. */
public final class Config {
    private final Map<String, ConfigEntry> entries;

    Config(List<ConfigEntry> entries) {
        Map<String, ConfigEntry> byName = new LinkedHashMap<>();
        for (ConfigEntry e : entries) {
            byName.put(e.name(), e);
        }
        this.entries = Collections.unmodifiableMap(byName);
    }

    public Collection<ConfigEntry> entries() {
        return entries.values();
    }

    /** The entry named {@code name}, or null if the broker did not describe it. */
    public ConfigEntry get(String name) {
        return entries.get(name);
    }

    /** The value of {@code name}, or null if it is not described or has no value. */
    public String value(String name) {
        ConfigEntry e = entries.get(name);
        return e == null ? null : e.value();
    }

    /** The entries set for this resource rather than defaulted (what a describe-topic listing shows). */
    public Map<String, String> overrides() {
        Map<String, String> set = new LinkedHashMap<>();
        for (ConfigEntry e : entries.values()) {
            if (e.source() == ConfigEntry.Source.DYNAMIC_TOPIC_CONFIG) {
                set.put(e.name(), e.value());
            }
        }
        return set;
    }

    @Override
    public String toString() {
        return entries.values().toString();
    }
}
