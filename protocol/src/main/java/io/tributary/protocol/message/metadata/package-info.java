/** Bodies of the discovery APIs: ApiVersions, Metadata and DescribeCluster. */
package io.tributary.protocol.message.metadata;
