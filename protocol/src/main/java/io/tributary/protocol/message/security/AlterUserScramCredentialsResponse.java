package io.tributary.protocol.message.security;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/** AlterUserScramCredentials response body (API key 51), version 0, flexible: one result per user named. */
public final class AlterUserScramCredentialsResponse {
    private static final StructBuilder B = new StructBuilder("AlterUserScramCredentialsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final StructArrayField RESULTS = B.array("results", "0+", AlterUserScramCredentialsResult.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.ALTER_USER_SCRAM_CREDENTIALS, B.build());

    private AlterUserScramCredentialsResponse() {
    }

    /** An element of {@code results}. */
    public static final class AlterUserScramCredentialsResult {
        private static final StructBuilder B = new StructBuilder("AlterUserScramCredentialsResult");
        public static final StringField USER = B.string("user", "0+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "0+").nullable("0+");
        public static final StructSchema SCHEMA = B.build();

        private AlterUserScramCredentialsResult() {
        }
    }
}
