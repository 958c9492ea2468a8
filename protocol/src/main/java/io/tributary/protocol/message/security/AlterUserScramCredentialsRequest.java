package io.tributary.protocol.message.security;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BytesField;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * AlterUserScramCredentials request body (API key 51), version 0, flexible. An upsertion carries the salt and the
 * salted password the client computed (RFC 5802 Hi), never the password.
 */
public final class AlterUserScramCredentialsRequest {
    private static final StructBuilder B = new StructBuilder("AlterUserScramCredentialsRequest");
    public static final StructArrayField DELETIONS = B.array("deletions", "0+", ScramCredentialDeletion.SCHEMA);
    public static final StructArrayField UPSERTIONS = B.array("upsertions", "0+", ScramCredentialUpsertion.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.ALTER_USER_SCRAM_CREDENTIALS, B.build());

    private AlterUserScramCredentialsRequest() {
    }

    /** An element of {@code deletions}. */
    public static final class ScramCredentialDeletion {
        private static final StructBuilder B = new StructBuilder("ScramCredentialDeletion");
        public static final StringField NAME = B.string("name", "0+");
        public static final Int8Field MECHANISM = B.int8("mechanism", "0+");
        public static final StructSchema SCHEMA = B.build();

        private ScramCredentialDeletion() {
        }
    }

    /** An element of {@code upsertions}. */
    public static final class ScramCredentialUpsertion {
        private static final StructBuilder B = new StructBuilder("ScramCredentialUpsertion");
        public static final StringField NAME = B.string("name", "0+");
        public static final Int8Field MECHANISM = B.int8("mechanism", "0+");
        public static final Int32Field ITERATIONS = B.int32("iterations", "0+");
        public static final BytesField SALT = B.bytes("salt", "0+");
        public static final BytesField SALTED_PASSWORD = B.bytes("salted_password", "0+");
        public static final StructSchema SCHEMA = B.build();

        private ScramCredentialUpsertion() {
        }
    }
}
