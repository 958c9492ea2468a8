// kafkajs idempotent producer for the cluster failover test (LibrdkafkaAndKafkajsLeaderCrashTest).
//
// Usage: node producer.js <bootstrap host:port,...> <topic>
// stdin:  one record a line, "<partition>:<seq>", sent as the value to that partition, in input order.
// stdout: "ack <partition> <seq> <offset>" for each acknowledged record (acks=-1), in send order;
//         "fail <count> <error>" if a send fails for good (the process then exits 1 without sending more, since a
//         failed send leaves kafkajs's sequence numbers where a later send cannot be told from a retry).
// stderr: kafkajs's own log.
// Exits 0 once stdin is closed and every record read has been acknowledged.
'use strict';
const readline = require('readline');
const { Kafka, logLevel } = require('kafkajs');

const [bootstrap, topic] = process.argv.slice(2);
const toStderr = () => ({ namespace, level, label, log }) => {
  const { message, ...extra } = log;
  process.stderr.write(`${label} [${namespace}] ${message} ${JSON.stringify(extra)}\n`);
};
const kafka = new Kafka({
  clientId: 'failover-producer',
  brokers: bootstrap.split(','),
  logLevel: logLevel.WARN,
  logCreator: toStderr,
  connectionTimeout: 3000,
  requestTimeout: 15000,
  retry: { initialRetryTime: 100, maxRetryTime: 2000, retries: 30 },
});
// idempotent: retries without limit (kafkajs warns about fewer); the test bounds the process's life instead. One
// request in flight keeps the sequence numbers of a partition in order.
const producer = kafka.producer({
  idempotent: true,
  maxInFlightRequests: 1,
  retry: { initialRetryTime: 100, maxRetryTime: 2000, retries: Number.MAX_SAFE_INTEGER },
});

const pending = [];
let inputClosed = false;
let sending = false;

async function pump() {
  if (sending) {
    return;
  }
  sending = true;
  try {
    while (pending.length > 0) {
      // One send per partition: kafkajs 2.2.4 resolves a send spanning several leaders without re-sending a
      // partition whose new leader (after NOT_LEADER_OR_FOLLOWER) had already answered for another partition of
      // that send (sendMessages keeps one response per broker), so such a partition's records would count as sent.
      const byPartition = new Map();
      for (const r of pending.splice(0, 600)) {
        if (!byPartition.has(r.partition)) {
          byPartition.set(r.partition, []);
        }
        byPartition.get(r.partition).push(r);
      }
      for (const [partition, records] of byPartition) {
        let result;
        try {
          result = await producer.send({
            topic,
            acks: -1,
            timeout: 30000,
            messages: records.map(r => ({ partition, value: `${partition}:${r.seq}` })),
          });
        } catch (e) {
          process.stdout.write(`fail ${records.length} ${String(e && e.message).replace(/\s+/g, ' ')}\n`);
          process.exit(1);
        }
        const answer = result.find(r => r.partition === partition);
        if (!answer || answer.errorCode !== 0 || answer.baseOffset == null) {
          process.stdout.write(`fail ${records.length} no acknowledgement of partition ${partition}: ${JSON.stringify(result)}\n`);
          process.exit(1);
        }
        // the records of one send form one batch: each record's offset is the base offset plus its index
        const baseOffset = Number(answer.baseOffset);
        process.stdout.write(records.map((r, i) => `ack ${partition} ${r.seq} ${baseOffset + i}\n`).join(''));
      }
    }
  } finally {
    sending = false;
  }
  if (inputClosed && pending.length === 0) {
    await producer.disconnect();
    process.exit(0);
  }
}

async function main() {
  await producer.connect();
  const input = readline.createInterface({ input: process.stdin, terminal: false });
  input.on('line', line => {
    const [partition, seq] = line.trim().split(':').map(Number);
    pending.push({ partition, seq });
    pump();
  });
  input.on('close', () => {
    inputClosed = true;
    pump();
  });
}

main().catch(e => {
  process.stdout.write(`fail 0 ${String(e && e.message).replace(/\s+/g, ' ')}\n`);
  process.exit(1);
});
