package io.tributary.protocol.message.quota;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Float64Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/** AlterClientQuotas request body (API key 49), versions 0-1, flexible from 1: per entity, quota values set or removed. */
public final class AlterClientQuotasRequest {
    private static final StructBuilder B = new StructBuilder("AlterClientQuotasRequest");
    public static final StructArrayField ENTRIES = B.array("entries", "0+", EntryData.SCHEMA);
    public static final BoolField VALIDATE_ONLY = B.bool("validate_only", "0+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.ALTER_CLIENT_QUOTAS, B.build());

    private AlterClientQuotasRequest() {
    }

    /** An element of {@code entries}. */
    public static final class EntryData {
        private static final StructBuilder B = new StructBuilder("EntryData");
        public static final StructArrayField ENTITY = B.array("entity", "0+", EntityData.SCHEMA);
        public static final StructArrayField OPS = B.array("ops", "0+", OpData.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private EntryData() {
        }
    }

    /** An element of {@code entity}: a null name is the type's default entity. */
    public static final class EntityData {
        private static final StructBuilder B = new StructBuilder("EntityData");
        public static final StringField ENTITY_TYPE = B.string("entity_type", "0+");
        public static final StringField ENTITY_NAME = B.string("entity_name", "0+").nullable("0+");
        public static final StructSchema SCHEMA = B.build();

        private EntityData() {
        }
    }

    /** An element of {@code ops}. */
    public static final class OpData {
        private static final StructBuilder B = new StructBuilder("OpData");
        public static final StringField KEY = B.string("key", "0+");
        public static final Float64Field VALUE = B.float64("value", "0+");
        public static final BoolField REMOVE = B.bool("remove", "0+");
        public static final StructSchema SCHEMA = B.build();

        private OpData() {
        }
    }
}
