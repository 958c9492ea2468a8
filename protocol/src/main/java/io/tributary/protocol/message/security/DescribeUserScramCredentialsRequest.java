package io.tributary.protocol.message.security;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/** DescribeUserScramCredentials request body (API key 50), version 0, flexible. A null user list means every user. */
public final class DescribeUserScramCredentialsRequest {
    private static final StructBuilder B = new StructBuilder("DescribeUserScramCredentialsRequest");
    public static final StructArrayField USERS = B.array("users", "0+", UserName.SCHEMA).nullable("0+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.DESCRIBE_USER_SCRAM_CREDENTIALS, B.build());

    private DescribeUserScramCredentialsRequest() {
    }

    /** An element of {@code users}. */
    public static final class UserName {
        private static final StructBuilder B = new StructBuilder("UserName");
        public static final StringField NAME = B.string("name", "0+");
        public static final StructSchema SCHEMA = B.build();

        private UserName() {
        }
    }
}
