/** The ACL admin APIs: CreateAcls, DescribeAcls and DeleteAcls (versions 1-3, flexible from 2), as Kafka 4.3 defines them. */
package io.tributary.protocol.message.acl;
