package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * FindCoordinator response body (API key 10), versions 0-6, flexible from version 3.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class FindCoordinatorResponse {
    private static final StructBuilder B = new StructBuilder("FindCoordinatorResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "1+").ignorable();
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0-3");
    public static final StringField ERROR_MESSAGE = B.string("error_message", "1-3").nullable("1-3").ignorable();
    public static final Int32Field NODE_ID = B.int32("node_id", "0-3");
    public static final StringField HOST = B.string("host", "0-3");
    public static final Int32Field PORT = B.int32("port", "0-3");
    public static final StructArrayField COORDINATORS = B.array("coordinators", "4+", Coordinator.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.FIND_COORDINATOR, B.build());

    private FindCoordinatorResponse() {
    }

    /** An element of {@code coordinators} in FindCoordinatorResponse. */
    public static final class Coordinator {
        private static final StructBuilder B = new StructBuilder("Coordinator");
        public static final StringField KEY = B.string("key", "4+");
        public static final Int32Field NODE_ID = B.int32("node_id", "4+");
        public static final StringField HOST = B.string("host", "4+");
        public static final Int32Field PORT = B.int32("port", "4+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "4+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "4+").nullable("4+");
        public static final StructSchema SCHEMA = B.build();

        private Coordinator() {
        }
    }
}
