package io.tributary.protocol.message;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.acl.CreateAclsRequest;
import io.tributary.protocol.message.acl.CreateAclsResponse;
import io.tributary.protocol.message.acl.DeleteAclsRequest;
import io.tributary.protocol.message.acl.DeleteAclsResponse;
import io.tributary.protocol.message.acl.DescribeAclsRequest;
import io.tributary.protocol.message.acl.DescribeAclsResponse;
import io.tributary.protocol.message.quota.AlterClientQuotasRequest;
import io.tributary.protocol.message.quota.AlterClientQuotasResponse;
import io.tributary.protocol.message.quota.DescribeClientQuotasRequest;
import io.tributary.protocol.message.quota.DescribeClientQuotasResponse;
import io.tributary.protocol.message.admin.AlterConfigsRequest;
import io.tributary.protocol.message.admin.AlterConfigsResponse;
import io.tributary.protocol.message.admin.CreatePartitionsRequest;
import io.tributary.protocol.message.admin.CreatePartitionsResponse;
import io.tributary.protocol.message.admin.CreateTopicsRequest;
import io.tributary.protocol.message.admin.CreateTopicsResponse;
import io.tributary.protocol.message.admin.DeleteTopicsRequest;
import io.tributary.protocol.message.admin.DeleteTopicsResponse;
import io.tributary.protocol.message.admin.DescribeConfigsRequest;
import io.tributary.protocol.message.admin.DescribeConfigsResponse;
import io.tributary.protocol.message.admin.IncrementalAlterConfigsRequest;
import io.tributary.protocol.message.admin.IncrementalAlterConfigsResponse;
import io.tributary.protocol.message.fetch.FetchRequest;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.fetch.ListOffsetsRequest;
import io.tributary.protocol.message.fetch.ListOffsetsResponse;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochRequest;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochResponse;
import io.tributary.protocol.message.group.DeleteGroupsRequest;
import io.tributary.protocol.message.group.DeleteGroupsResponse;
import io.tributary.protocol.message.group.DescribeGroupsRequest;
import io.tributary.protocol.message.group.DescribeGroupsResponse;
import io.tributary.protocol.message.group.FindCoordinatorRequest;
import io.tributary.protocol.message.group.FindCoordinatorResponse;
import io.tributary.protocol.message.group.HeartbeatRequest;
import io.tributary.protocol.message.group.HeartbeatResponse;
import io.tributary.protocol.message.group.JoinGroupRequest;
import io.tributary.protocol.message.group.JoinGroupResponse;
import io.tributary.protocol.message.group.LeaveGroupRequest;
import io.tributary.protocol.message.group.LeaveGroupResponse;
import io.tributary.protocol.message.group.ListGroupsRequest;
import io.tributary.protocol.message.group.ListGroupsResponse;
import io.tributary.protocol.message.group.OffsetCommitRequest;
import io.tributary.protocol.message.group.OffsetCommitResponse;
import io.tributary.protocol.message.group.OffsetDeleteRequest;
import io.tributary.protocol.message.group.OffsetDeleteResponse;
import io.tributary.protocol.message.group.OffsetFetchRequest;
import io.tributary.protocol.message.group.OffsetFetchResponse;
import io.tributary.protocol.message.group.SyncGroupRequest;
import io.tributary.protocol.message.group.SyncGroupResponse;
import io.tributary.protocol.message.metadata.ApiVersionsRequest;
import io.tributary.protocol.message.metadata.ApiVersionsResponse;
import io.tributary.protocol.message.metadata.DescribeClusterRequest;
import io.tributary.protocol.message.metadata.DescribeClusterResponse;
import io.tributary.protocol.message.metadata.MetadataRequest;
import io.tributary.protocol.message.metadata.MetadataResponse;
import io.tributary.protocol.message.produce.InitProducerIdRequest;
import io.tributary.protocol.message.produce.InitProducerIdResponse;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.produce.ProduceResponse;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.security.AlterUserScramCredentialsRequest;
import io.tributary.protocol.message.security.AlterUserScramCredentialsResponse;
import io.tributary.protocol.message.security.DescribeUserScramCredentialsRequest;
import io.tributary.protocol.message.security.DescribeUserScramCredentialsResponse;
import io.tributary.protocol.message.security.SaslAuthenticateRequest;
import io.tributary.protocol.message.security.SaslAuthenticateResponse;
import io.tributary.protocol.message.security.SaslHandshakeRequest;
import io.tributary.protocol.message.security.SaslHandshakeResponse;

import io.tributary.protocol.message.txn.AddPartitionsToTxnRequest;
import io.tributary.protocol.message.txn.AddPartitionsToTxnResponse;
import io.tributary.protocol.message.txn.AddOffsetsToTxnRequest;
import io.tributary.protocol.message.txn.AddOffsetsToTxnResponse;
import io.tributary.protocol.message.txn.EndTxnRequest;
import io.tributary.protocol.message.txn.EndTxnResponse;
import io.tributary.protocol.message.txn.WriteTxnMarkersRequest;
import io.tributary.protocol.message.txn.WriteTxnMarkersResponse;
import io.tributary.protocol.message.txn.TxnOffsetCommitRequest;
import io.tributary.protocol.message.txn.TxnOffsetCommitResponse;
import io.tributary.protocol.message.txn.DescribeProducersRequest;
import io.tributary.protocol.message.txn.DescribeProducersResponse;
import io.tributary.protocol.message.txn.DescribeTransactionsRequest;
import io.tributary.protocol.message.txn.DescribeTransactionsResponse;
import io.tributary.protocol.message.txn.ListTransactionsRequest;
import io.tributary.protocol.message.txn.ListTransactionsResponse;

/**
 * Which request and response body schema belongs to each {@link ApiKey}. The switch has no default,
 * so an API added to the enum without its schemas does not compile.
 */
public final class ApiSchemas {
    private ApiSchemas() {
    }

    public static MessageSchema request(ApiKey api) {
        return switch (api) {
            case PRODUCE -> ProduceRequest.SCHEMA;
            case FETCH -> FetchRequest.SCHEMA;
            case LIST_OFFSETS -> ListOffsetsRequest.SCHEMA;
            case METADATA -> MetadataRequest.SCHEMA;
            case OFFSET_COMMIT -> OffsetCommitRequest.SCHEMA;
            case OFFSET_FETCH -> OffsetFetchRequest.SCHEMA;
            case FIND_COORDINATOR -> FindCoordinatorRequest.SCHEMA;
            case JOIN_GROUP -> JoinGroupRequest.SCHEMA;
            case HEARTBEAT -> HeartbeatRequest.SCHEMA;
            case LEAVE_GROUP -> LeaveGroupRequest.SCHEMA;
            case SYNC_GROUP -> SyncGroupRequest.SCHEMA;
            case DESCRIBE_GROUPS -> DescribeGroupsRequest.SCHEMA;
            case LIST_GROUPS -> ListGroupsRequest.SCHEMA;
            case API_VERSIONS -> ApiVersionsRequest.SCHEMA;
            case CREATE_TOPICS -> CreateTopicsRequest.SCHEMA;
            case DELETE_TOPICS -> DeleteTopicsRequest.SCHEMA;
            case INIT_PRODUCER_ID -> InitProducerIdRequest.SCHEMA;
            case OFFSET_FOR_LEADER_EPOCH -> OffsetForLeaderEpochRequest.SCHEMA;
            case DESCRIBE_CONFIGS -> DescribeConfigsRequest.SCHEMA;
            case ALTER_CONFIGS -> AlterConfigsRequest.SCHEMA;
            case CREATE_PARTITIONS -> CreatePartitionsRequest.SCHEMA;
            case DELETE_GROUPS -> DeleteGroupsRequest.SCHEMA;
            case INCREMENTAL_ALTER_CONFIGS -> IncrementalAlterConfigsRequest.SCHEMA;
            case OFFSET_DELETE -> OffsetDeleteRequest.SCHEMA;
            case DESCRIBE_CLUSTER -> DescribeClusterRequest.SCHEMA;
            case SASL_HANDSHAKE -> SaslHandshakeRequest.SCHEMA;
            case SASL_AUTHENTICATE -> SaslAuthenticateRequest.SCHEMA;
            case DESCRIBE_USER_SCRAM_CREDENTIALS -> DescribeUserScramCredentialsRequest.SCHEMA;
            case ALTER_USER_SCRAM_CREDENTIALS -> AlterUserScramCredentialsRequest.SCHEMA;
            case DESCRIBE_ACLS -> DescribeAclsRequest.SCHEMA;
            case CREATE_ACLS -> CreateAclsRequest.SCHEMA;
            case DELETE_ACLS -> DeleteAclsRequest.SCHEMA;
            case DESCRIBE_CLIENT_QUOTAS -> DescribeClientQuotasRequest.SCHEMA;
            case ALTER_CLIENT_QUOTAS -> AlterClientQuotasRequest.SCHEMA;
            case ADD_PARTITIONS_TO_TXN -> AddPartitionsToTxnRequest.SCHEMA;
            case ADD_OFFSETS_TO_TXN -> AddOffsetsToTxnRequest.SCHEMA;
            case END_TXN -> EndTxnRequest.SCHEMA;
            case WRITE_TXN_MARKERS -> WriteTxnMarkersRequest.SCHEMA;
            case TXN_OFFSET_COMMIT -> TxnOffsetCommitRequest.SCHEMA;
            case DESCRIBE_PRODUCERS -> DescribeProducersRequest.SCHEMA;
            case DESCRIBE_TRANSACTIONS -> DescribeTransactionsRequest.SCHEMA;
            case LIST_TRANSACTIONS -> ListTransactionsRequest.SCHEMA;
        };
    }

    public static MessageSchema response(ApiKey api) {
        return switch (api) {
            case PRODUCE -> ProduceResponse.SCHEMA;
            case FETCH -> FetchResponse.SCHEMA;
            case LIST_OFFSETS -> ListOffsetsResponse.SCHEMA;
            case METADATA -> MetadataResponse.SCHEMA;
            case OFFSET_COMMIT -> OffsetCommitResponse.SCHEMA;
            case OFFSET_FETCH -> OffsetFetchResponse.SCHEMA;
            case FIND_COORDINATOR -> FindCoordinatorResponse.SCHEMA;
            case JOIN_GROUP -> JoinGroupResponse.SCHEMA;
            case HEARTBEAT -> HeartbeatResponse.SCHEMA;
            case LEAVE_GROUP -> LeaveGroupResponse.SCHEMA;
            case SYNC_GROUP -> SyncGroupResponse.SCHEMA;
            case DESCRIBE_GROUPS -> DescribeGroupsResponse.SCHEMA;
            case LIST_GROUPS -> ListGroupsResponse.SCHEMA;
            case API_VERSIONS -> ApiVersionsResponse.SCHEMA;
            case CREATE_TOPICS -> CreateTopicsResponse.SCHEMA;
            case DELETE_TOPICS -> DeleteTopicsResponse.SCHEMA;
            case INIT_PRODUCER_ID -> InitProducerIdResponse.SCHEMA;
            case OFFSET_FOR_LEADER_EPOCH -> OffsetForLeaderEpochResponse.SCHEMA;
            case DESCRIBE_CONFIGS -> DescribeConfigsResponse.SCHEMA;
            case ALTER_CONFIGS -> AlterConfigsResponse.SCHEMA;
            case CREATE_PARTITIONS -> CreatePartitionsResponse.SCHEMA;
            case DELETE_GROUPS -> DeleteGroupsResponse.SCHEMA;
            case INCREMENTAL_ALTER_CONFIGS -> IncrementalAlterConfigsResponse.SCHEMA;
            case OFFSET_DELETE -> OffsetDeleteResponse.SCHEMA;
            case DESCRIBE_CLUSTER -> DescribeClusterResponse.SCHEMA;
            case SASL_HANDSHAKE -> SaslHandshakeResponse.SCHEMA;
            case SASL_AUTHENTICATE -> SaslAuthenticateResponse.SCHEMA;
            case DESCRIBE_USER_SCRAM_CREDENTIALS -> DescribeUserScramCredentialsResponse.SCHEMA;
            case ALTER_USER_SCRAM_CREDENTIALS -> AlterUserScramCredentialsResponse.SCHEMA;
            case DESCRIBE_ACLS -> DescribeAclsResponse.SCHEMA;
            case CREATE_ACLS -> CreateAclsResponse.SCHEMA;
            case DELETE_ACLS -> DeleteAclsResponse.SCHEMA;
            case DESCRIBE_CLIENT_QUOTAS -> DescribeClientQuotasResponse.SCHEMA;
            case ALTER_CLIENT_QUOTAS -> AlterClientQuotasResponse.SCHEMA;
            case ADD_PARTITIONS_TO_TXN -> AddPartitionsToTxnResponse.SCHEMA;
            case ADD_OFFSETS_TO_TXN -> AddOffsetsToTxnResponse.SCHEMA;
            case END_TXN -> EndTxnResponse.SCHEMA;
            case WRITE_TXN_MARKERS -> WriteTxnMarkersResponse.SCHEMA;
            case TXN_OFFSET_COMMIT -> TxnOffsetCommitResponse.SCHEMA;
            case DESCRIBE_PRODUCERS -> DescribeProducersResponse.SCHEMA;
            case DESCRIBE_TRANSACTIONS -> DescribeTransactionsResponse.SCHEMA;
            case LIST_TRANSACTIONS -> ListTransactionsResponse.SCHEMA;
        };
    }
}
