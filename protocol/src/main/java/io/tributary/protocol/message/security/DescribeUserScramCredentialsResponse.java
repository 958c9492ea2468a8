package io.tributary.protocol.message.security;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/** DescribeUserScramCredentials response body (API key 50), version 0, flexible: mechanisms and iterations, never keys. */
public final class DescribeUserScramCredentialsResponse {
    private static final StructBuilder B = new StructBuilder("DescribeUserScramCredentialsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final StringField ERROR_MESSAGE = B.string("error_message", "0+").nullable("0+");
    public static final StructArrayField RESULTS = B.array("results", "0+", DescribeUserScramCredentialsResult.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.DESCRIBE_USER_SCRAM_CREDENTIALS, B.build());

    private DescribeUserScramCredentialsResponse() {
    }

    /** An element of {@code results}: one user. */
    public static final class DescribeUserScramCredentialsResult {
        private static final StructBuilder B = new StructBuilder("DescribeUserScramCredentialsResult");
        public static final StringField USER = B.string("user", "0+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "0+").nullable("0+");
        public static final StructArrayField CREDENTIAL_INFOS = B.array("credential_infos", "0+", CredentialInfo.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private DescribeUserScramCredentialsResult() {
        }
    }

    /** An element of {@code credential_infos}. */
    public static final class CredentialInfo {
        private static final StructBuilder B = new StructBuilder("CredentialInfo");
        public static final Int8Field MECHANISM = B.int8("mechanism", "0+");
        public static final Int32Field ITERATIONS = B.int32("iterations", "0+");
        public static final StructSchema SCHEMA = B.build();

        private CredentialInfo() {
        }
    }
}
