package io.tributary.protocol.message.quota;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/** AlterClientQuotas response body (API key 49), versions 0-1, flexible from 1: one result per entity. */
public final class AlterClientQuotasResponse {
    private static final StructBuilder B = new StructBuilder("AlterClientQuotasResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final StructArrayField ENTRIES = B.array("entries", "0+", EntryData.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.ALTER_CLIENT_QUOTAS, B.build());

    private AlterClientQuotasResponse() {
    }

    /** An element of {@code entries}. */
    public static final class EntryData {
        private static final StructBuilder B = new StructBuilder("EntryData");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "0+").nullable("0+");
        public static final StructArrayField ENTITY = B.array("entity", "0+", EntityData.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private EntryData() {
        }
    }

    /** An element of {@code entity}. */
    public static final class EntityData {
        private static final StructBuilder B = new StructBuilder("EntityData");
        public static final StringField ENTITY_TYPE = B.string("entity_type", "0+");
        public static final StringField ENTITY_NAME = B.string("entity_name", "0+").nullable("0+");
        public static final StructSchema SCHEMA = B.build();

        private EntityData() {
        }
    }
}
