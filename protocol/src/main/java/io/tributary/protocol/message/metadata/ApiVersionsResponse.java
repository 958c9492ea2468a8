package io.tributary.protocol.message.metadata;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int64Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * ApiVersions response body (API key 18), versions 0-4, flexible from version 3.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class ApiVersionsResponse {
    private static final StructBuilder B = new StructBuilder("ApiVersionsResponse");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final StructArrayField API_KEYS = B.array("api_keys", "0+", ApiVersion.SCHEMA);
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "1+").ignorable();
    public static final StructArrayField SUPPORTED_FEATURES = B.array("supported_features", "3+", SupportedFeatureKey.SCHEMA).tagged(0).ignorable();
    public static final Int64Field FINALIZED_FEATURES_EPOCH = B.int64("finalized_features_epoch", "3+").tagged(1).defaultValue(-1L).ignorable();
    public static final StructArrayField FINALIZED_FEATURES = B.array("finalized_features", "3+", FinalizedFeatureKey.SCHEMA).tagged(2).ignorable();
    public static final BoolField ZK_MIGRATION_READY = B.bool("zk_migration_ready", "3+").tagged(3).ignorable();
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.API_VERSIONS, B.build());

    private ApiVersionsResponse() {
    }

    /** An element of {@code api_keys} in ApiVersionsResponse. */
    public static final class ApiVersion {
        private static final StructBuilder B = new StructBuilder("ApiVersion");
        public static final Int16Field API_KEY = B.int16("api_key", "0+");
        public static final Int16Field MIN_VERSION = B.int16("min_version", "0+");
        public static final Int16Field MAX_VERSION = B.int16("max_version", "0+");
        public static final StructSchema SCHEMA = B.build();

        private ApiVersion() {
        }
    }

    /** An element of {@code supported_features} in ApiVersionsResponse. */
    public static final class SupportedFeatureKey {
        private static final StructBuilder B = new StructBuilder("SupportedFeatureKey");
        public static final StringField NAME = B.string("name", "3+");
        public static final Int16Field MIN_VERSION = B.int16("min_version", "3+");
        public static final Int16Field MAX_VERSION = B.int16("max_version", "3+");
        public static final StructSchema SCHEMA = B.build();

        private SupportedFeatureKey() {
        }
    }

    /** An element of {@code finalized_features} in ApiVersionsResponse. */
    public static final class FinalizedFeatureKey {
        private static final StructBuilder B = new StructBuilder("FinalizedFeatureKey");
        public static final StringField NAME = B.string("name", "3+");
        public static final Int16Field MAX_VERSION_LEVEL = B.int16("max_version_level", "3+");
        public static final Int16Field MIN_VERSION_LEVEL = B.int16("min_version_level", "3+");
        public static final StructSchema SCHEMA = B.build();

        private FinalizedFeatureKey() {
        }
    }
}
