/** Bodies of the discovery APIs: ApiVersions, Metadata, DescribeCluster and DescribeTopicPartitions. */
package io.tributary.protocol.message.metadata;
