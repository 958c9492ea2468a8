/** The client-quota admin APIs: DescribeClientQuotas and AlterClientQuotas (versions 0-1, flexible from 1). */
package io.tributary.protocol.message.quota;
