package io.tributary.protocol;

/**
 * The Kafka APIs this broker serves, each with its int16 key and the version range we accept: Apache Kafka
 * 4.3's full stable range for that API (versions older than the range were removed by Kafka 4.0, newer ones
 * are not defined yet).
 *
 * <p>A version at or above {@code flexibleFrom} is "flexible" (KIP-482): compact strings, arrays and bytes,
 * tagged fields at the end of every struct, request header v2 and response header v1. The one exception is
 * ApiVersions, whose response always uses response header v0: a client that does not yet know the broker's
 * versions must be able to read the header of the answer to its very first request.
 */
public enum ApiKey {
    PRODUCE(0, "Produce", 3, 13, 9),
    FETCH(1, "Fetch", 4, 18, 12),
    LIST_OFFSETS(2, "ListOffsets", 1, 11, 6),
    METADATA(3, "Metadata", 0, 13, 9),
    OFFSET_COMMIT(8, "OffsetCommit", 2, 10, 8),
    OFFSET_FETCH(9, "OffsetFetch", 1, 10, 6),
    FIND_COORDINATOR(10, "FindCoordinator", 0, 6, 3),
    JOIN_GROUP(11, "JoinGroup", 0, 9, 6),
    HEARTBEAT(12, "Heartbeat", 0, 4, 4),
    LEAVE_GROUP(13, "LeaveGroup", 0, 5, 4),
    SYNC_GROUP(14, "SyncGroup", 0, 5, 4),
    DESCRIBE_GROUPS(15, "DescribeGroups", 0, 6, 5),
    LIST_GROUPS(16, "ListGroups", 0, 5, 3),
    SASL_HANDSHAKE(17, "SaslHandshake", 0, 1, ApiKey.NEVER_FLEXIBLE),
    API_VERSIONS(18, "ApiVersions", 0, 4, 3),
    CREATE_TOPICS(19, "CreateTopics", 2, 7, 5),
    DELETE_TOPICS(20, "DeleteTopics", 1, 6, 4),
    INIT_PRODUCER_ID(22, "InitProducerId", 0, 5, 2),
    OFFSET_FOR_LEADER_EPOCH(23, "OffsetForLeaderEpoch", 2, 4, 4),
    ADD_PARTITIONS_TO_TXN(24, "AddPartitionsToTxn", 0, 5, 3),
    ADD_OFFSETS_TO_TXN(25, "AddOffsetsToTxn", 0, 4, 3),
    END_TXN(26, "EndTxn", 0, 5, 3),
    WRITE_TXN_MARKERS(27, "WriteTxnMarkers", 1, 2, 1),
    TXN_OFFSET_COMMIT(28, "TxnOffsetCommit", 0, 5, 3),
    DESCRIBE_ACLS(29, "DescribeAcls", 1, 3, 2),
    CREATE_ACLS(30, "CreateAcls", 1, 3, 2),
    DELETE_ACLS(31, "DeleteAcls", 1, 3, 2),
    DESCRIBE_CONFIGS(32, "DescribeConfigs", 1, 4, 4),
    ALTER_CONFIGS(33, "AlterConfigs", 0, 2, 2),
    DESCRIBE_LOG_DIRS(35, "DescribeLogDirs", 1, 5, 2),
    SASL_AUTHENTICATE(36, "SaslAuthenticate", 0, 2, 2),
    CREATE_PARTITIONS(37, "CreatePartitions", 0, 3, 2),
    DELETE_GROUPS(42, "DeleteGroups", 0, 2, 2),
    ELECT_LEADERS(43, "ElectLeaders", 0, 2, 2),
    INCREMENTAL_ALTER_CONFIGS(44, "IncrementalAlterConfigs", 0, 1, 1),
    ALTER_PARTITION_REASSIGNMENTS(45, "AlterPartitionReassignments", 0, 1, 0),
    LIST_PARTITION_REASSIGNMENTS(46, "ListPartitionReassignments", 0, 0, 0),
    OFFSET_DELETE(47, "OffsetDelete", 0, 0, ApiKey.NEVER_FLEXIBLE),
    DESCRIBE_CLIENT_QUOTAS(48, "DescribeClientQuotas", 0, 1, 1),
    ALTER_CLIENT_QUOTAS(49, "AlterClientQuotas", 0, 1, 1),
    DESCRIBE_USER_SCRAM_CREDENTIALS(50, "DescribeUserScramCredentials", 0, 0, 0),
    ALTER_USER_SCRAM_CREDENTIALS(51, "AlterUserScramCredentials", 0, 0, 0),
    DESCRIBE_CLUSTER(60, "DescribeCluster", 0, 2, 0),
    DESCRIBE_PRODUCERS(61, "DescribeProducers", 0, 0, 0),
    DESCRIBE_TRANSACTIONS(65, "DescribeTransactions", 0, 0, 0),
    LIST_TRANSACTIONS(66, "ListTransactions", 0, 2, 0),
    DESCRIBE_TOPIC_PARTITIONS(75, "DescribeTopicPartitions", 0, 0, 0);

    /** {@code flexibleFrom} of an API that has no flexible version. */
    public static final int NEVER_FLEXIBLE = Short.MAX_VALUE;

    private static final ApiKey[] BY_ID;

    static {
        int max = 0;
        for (ApiKey k : values()) {
            max = Math.max(max, k.id);
        }
        BY_ID = new ApiKey[max + 1];
        for (ApiKey k : values()) {
            BY_ID[k.id] = k;
        }
    }

    private final short id;
    private final String title;
    private final short minVersion;
    private final short maxVersion;
    private final short flexibleFrom;

    ApiKey(int id, String title, int minVersion, int maxVersion, int flexibleFrom) {
        this.id = (short) id;
        this.title = title;
        this.minVersion = (short) minVersion;
        this.maxVersion = (short) maxVersion;
        this.flexibleFrom = (short) flexibleFrom;
    }

    /** The API for a wire key, or null when this broker does not serve that key. */
    public static ApiKey forId(short id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    public short id() {
        return id;
    }

    /** The API's name as Kafka spells it ("ListOffsets"), for logs and error messages. */
    public String title() {
        return title;
    }

    public short minVersion() {
        return minVersion;
    }

    public short maxVersion() {
        return maxVersion;
    }

    public boolean isVersionSupported(short version) {
        return version >= minVersion && version <= maxVersion;
    }

    /** Whether {@code version} uses the flexible encoding; true also for versions newer than we support. */
    public boolean isFlexible(short version) {
        return version >= flexibleFrom;
    }

    /** Request header version: 2 for flexible versions, else 1 (header v0 is used by no API we serve). */
    public short requestHeaderVersion(short version) {
        return (short) (isFlexible(version) ? 2 : 1);
    }

    /** Response header version: 1 for flexible versions, else 0; always 0 for ApiVersions. */
    public short responseHeaderVersion(short version) {
        if (this == API_VERSIONS) {
            return 0;
        }
        return (short) (isFlexible(version) ? 1 : 0);
    }
}
