package io.tributary.protocol.message.quota;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/** DescribeClientQuotas request body (API key 48), versions 0-1, flexible from 1: a filter of entity components. */
public final class DescribeClientQuotasRequest {
    private static final StructBuilder B = new StructBuilder("DescribeClientQuotasRequest");
    public static final StructArrayField COMPONENTS = B.array("components", "0+", ComponentData.SCHEMA);
    public static final BoolField STRICT = B.bool("strict", "0+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.DESCRIBE_CLIENT_QUOTAS, B.build());

    private DescribeClientQuotasRequest() {
    }

    /** An element of {@code components}: match_type 0 exact name, 1 the default entity, 2 any entity of the type. */
    public static final class ComponentData {
        private static final StructBuilder B = new StructBuilder("ComponentData");
        public static final StringField ENTITY_TYPE = B.string("entity_type", "0+");
        public static final Int8Field MATCH_TYPE = B.int8("match_type", "0+");
        public static final StringField MATCH = B.string("match", "0+").nullable("0+");
        public static final StructSchema SCHEMA = B.build();

        private ComponentData() {
        }
    }
}
