package io.tributary.server.quota;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.quota.AlterClientQuotasRequest;
import io.tributary.protocol.message.quota.AlterClientQuotasResponse;
import io.tributary.protocol.message.quota.DescribeClientQuotasRequest;
import io.tributary.protocol.message.quota.DescribeClientQuotasRequest.ComponentData;
import io.tributary.protocol.message.quota.DescribeClientQuotasResponse;
import io.tributary.protocol.message.quota.DescribeClientQuotasResponse.EntryData;
import io.tributary.protocol.message.quota.DescribeClientQuotasResponse.ValueData;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.api.ApiResponse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeClientQuotas and AlterClientQuotas (v0-1), what Kafka's Admin and {@code kafka-configs --entity-type users /
 * clients} send. Entities are users, client ids or both (named or {@code <default>}); keys are producer_byte_rate,
 * consumer_byte_rate (whole bytes per second) and request_percentage, each positive. Anything else is refused with
 * INVALID_REQUEST for that entity (IP quotas and controller_mutation_rate are not enforced by Tributary, so they are
 * refused rather than stored); the accepted entities' changes are applied together.
 */
public final class QuotaApis {
    private static final byte MATCH_EXACT = 0;
    private static final byte MATCH_DEFAULT = 1;
    private static final byte MATCH_SPECIFIED = 2;

    private QuotaApis() {
    }

    public static void register(ApiDispatcher dispatcher, ClientQuotas quotas) {
        dispatcher.register(ApiKey.DESCRIBE_CLIENT_QUOTAS, (context, request) ->
            CompletableFuture.completedFuture(ApiResponse.of(describe(quotas.store(), request))));
        dispatcher.register(ApiKey.ALTER_CLIENT_QUOTAS, (context, request) ->
            CompletableFuture.supplyAsync(() -> ApiResponse.of(alter(quotas.store(), request)), context.ioExecutor()));
    }

    static Struct describe(QuotaStore store, Struct request) {
        Struct response = DescribeClientQuotasResponse.SCHEMA.newStruct();
        List<Struct> components = request.get(DescribeClientQuotasRequest.COMPONENTS);
        Set<String> types = new HashSet<>();
        for (Struct component : components) {
            String type = component.get(ComponentData.ENTITY_TYPE);
            byte match = component.get(ComponentData.MATCH_TYPE);
            String problem = null;
            if (!type.equals(QuotaEntity.USER) && !type.equals(QuotaEntity.CLIENT_ID)) {
                problem = "Custom entity type '" + type + "' not supported";
            } else if (!types.add(type)) {
                problem = "Duplicate " + type + " filter component entity type";
            } else if (match == MATCH_EXACT && component.get(ComponentData.MATCH) == null) {
                problem = "Request specified exact match but entity name is null";
            } else if (match != MATCH_EXACT && match != MATCH_DEFAULT && match != MATCH_SPECIFIED) {
                problem = "Unknown match type " + match;
            }
            if (problem != null) {
                return response.set(DescribeClientQuotasResponse.ERROR_CODE, ErrorCode.INVALID_REQUEST.code())
                    .set(DescribeClientQuotasResponse.ERROR_MESSAGE, problem).set(DescribeClientQuotasResponse.ENTRIES, null);
            }
        }
        boolean strict = request.get(DescribeClientQuotasRequest.STRICT);
        response.set(DescribeClientQuotasResponse.ERROR_CODE, ErrorCode.NONE.code()).set(DescribeClientQuotasResponse.ERROR_MESSAGE, null)
            .set(DescribeClientQuotasResponse.ENTRIES, new ArrayList<>());
        for (Map.Entry<QuotaEntity, Map<String, Double>> entry : store.all().entrySet()) {
            QuotaEntity entity = entry.getKey();
            if (!matches(entity, components, strict)) {
                continue;
            }
            Struct out = response.add(DescribeClientQuotasResponse.ENTRIES);
            if (entity.user() != null) {
                out.add(EntryData.ENTITY).set(DescribeClientQuotasResponse.EntityData.ENTITY_TYPE, QuotaEntity.USER)
                    .set(DescribeClientQuotasResponse.EntityData.ENTITY_NAME, entity.user().name());
            }
            if (entity.clientId() != null) {
                out.add(EntryData.ENTITY).set(DescribeClientQuotasResponse.EntityData.ENTITY_TYPE, QuotaEntity.CLIENT_ID)
                    .set(DescribeClientQuotasResponse.EntityData.ENTITY_NAME, entity.clientId().name());
            }
            entry.getValue().forEach((key, value) -> out.add(EntryData.VALUES).set(ValueData.KEY, key).set(ValueData.VALUE, value));
        }
        return response;
    }

    private static boolean matches(QuotaEntity entity, List<Struct> components, boolean strict) {
        Set<String> named = new HashSet<>();
        for (Struct component : components) {
            String type = component.get(ComponentData.ENTITY_TYPE);
            named.add(type);
            QuotaEntity.Component value = type.equals(QuotaEntity.USER) ? entity.user() : entity.clientId();
            if (value == null) {
                return false;
            }
            boolean ok = switch (component.get(ComponentData.MATCH_TYPE)) {
                case MATCH_EXACT -> component.get(ComponentData.MATCH).equals(value.name());
                case MATCH_DEFAULT -> value.isDefault();
                default -> !value.isDefault();
            };
            if (!ok) {
                return false;
            }
        }
        if (strict) {
            return (entity.user() == null || named.contains(QuotaEntity.USER))
                && (entity.clientId() == null || named.contains(QuotaEntity.CLIENT_ID));
        }
        return true;
    }

    static Struct alter(QuotaStore store, Struct request) {
        Struct response = AlterClientQuotasResponse.SCHEMA.newStruct();
        boolean validateOnly = request.get(AlterClientQuotasRequest.VALIDATE_ONLY);
        List<QuotaStore.Change> accepted = new ArrayList<>();
        for (Struct entry : request.get(AlterClientQuotasRequest.ENTRIES)) {
            Struct out = response.add(AlterClientQuotasResponse.ENTRIES);
            String user = null;
            String client = null;
            boolean hasUser = false;
            boolean hasClient = false;
            String problem = null;
            for (Struct component : entry.get(AlterClientQuotasRequest.EntryData.ENTITY)) {
                String type = component.get(AlterClientQuotasRequest.EntityData.ENTITY_TYPE);
                String name = component.get(AlterClientQuotasRequest.EntityData.ENTITY_NAME);
                out.add(AlterClientQuotasResponse.EntryData.ENTITY).set(AlterClientQuotasResponse.EntityData.ENTITY_TYPE, type)
                    .set(AlterClientQuotasResponse.EntityData.ENTITY_NAME, name);
                if (type.equals(QuotaEntity.USER) && !hasUser) {
                    hasUser = true;
                    user = name;
                } else if (type.equals(QuotaEntity.CLIENT_ID) && !hasClient) {
                    hasClient = true;
                    client = name;
                } else if (type.equals(QuotaEntity.USER) || type.equals(QuotaEntity.CLIENT_ID)) {
                    problem = "Duplicate " + type + " entity type";
                } else if (type.equals("ip")) {
                    problem = "IP connection quotas are not supported by this broker";
                } else {
                    problem = "Unhandled client quota entity type: " + type;
                }
            }
            if (problem == null && !hasUser && !hasClient) {
                problem = "Invalid empty client quota entity";
            }
            QuotaEntity entity = problem != null ? null : new QuotaEntity(
                hasUser ? new QuotaEntity.Component(user) : null, hasClient ? new QuotaEntity.Component(client) : null);
            List<QuotaStore.Change> changes = new ArrayList<>();
            for (Struct op : entry.get(AlterClientQuotasRequest.EntryData.OPS)) {
                if (problem != null) {
                    break;
                }
                String key = op.get(AlterClientQuotasRequest.OpData.KEY);
                double value = op.get(AlterClientQuotasRequest.OpData.VALUE);
                boolean remove = op.get(AlterClientQuotasRequest.OpData.REMOVE);
                QuotaType type = QuotaType.ofKey(key);
                if (type == null) {
                    problem = "Unknown or unsupported client quota key: " + key;
                } else if (!remove && !(value > 0)) {
                    problem = "Invalid value " + value + " for " + key + ": must be positive";
                } else if (!remove && type != QuotaType.REQUEST && value != Math.rint(value)) {
                    problem = "Invalid value " + value + " for " + key + ": must be a whole number of bytes per second";
                } else {
                    changes.add(new QuotaStore.Change(entity, key, remove ? null : value));
                }
            }
            if (problem != null) {
                out.set(AlterClientQuotasResponse.EntryData.ERROR_CODE, ErrorCode.INVALID_REQUEST.code())
                    .set(AlterClientQuotasResponse.EntryData.ERROR_MESSAGE, problem);
            } else {
                out.set(AlterClientQuotasResponse.EntryData.ERROR_CODE, ErrorCode.NONE.code())
                    .set(AlterClientQuotasResponse.EntryData.ERROR_MESSAGE, null);
                accepted.addAll(changes);
            }
        }
        if (!validateOnly && !accepted.isEmpty()) {
            store.apply(accepted);
        }
        return response;
    }
}
