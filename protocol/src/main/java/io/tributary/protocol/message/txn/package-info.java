/**
 * Bodies of the transaction APIs: AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, WriteTxnMarkers, TxnOffsetCommit,
 * DescribeProducers, DescribeTransactions and ListTransactions.
 */
package io.tributary.protocol.message.txn;
