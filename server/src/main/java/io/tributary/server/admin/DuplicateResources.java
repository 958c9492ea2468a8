package io.tributary.server.admin;

import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.Struct;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The resources a config-changing request names more than once. Such a request is ambiguous (which change
 * wins?), so every entry of a repeated resource is refused with INVALID_REQUEST and the others proceed.
 */
final class DuplicateResources {
    private final Map<String, Integer> occurrences = new HashMap<>();

    DuplicateResources(List<Struct> resources, Int8Field typeField, StringField nameField) {
        for (Struct resource : resources) {
            occurrences.merge(key(resource.get(typeField), resource.get(nameField)), 1, Integer::sum);
        }
    }

    /** @throws AdminException INVALID_REQUEST when the resource appears more than once */
    void check(byte type, String name) {
        int times = occurrences.getOrDefault(key(type, name), 0);
        if (times > 1) {
            throw new AdminException(ErrorCode.INVALID_REQUEST, "Resource '" + name + "' of type " + type
                + " appears " + times + " times in the request");
        }
    }

    private static String key(byte type, String name) {
        return type + "/" + name;
    }
}
