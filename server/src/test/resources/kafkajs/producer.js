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
      const batch = pending.splice(0, 500);
      let result;
      try {
        result = await producer.send({
          topic,
          acks: -1,
          timeout: 30000,
          messages: batch.map(r => ({ partition: r.partition, value: `${r.partition}:${r.seq}` })),
        });
      } catch (e) {
        process.stdout.write(`fail ${batch.length} ${String(e && e.message).replace(/\s+/g, ' ')}\n`);
        process.exit(1);
      }
      // one batch per partition in the request: each record's offset is its partition's base offset plus its index
      const baseOffset = new Map(result.map(r => [r.partition, Number(r.baseOffset)]));
      const index = new Map();
      let lines = '';
      for (const r of batch) {
        const i = index.get(r.partition) || 0;
        index.set(r.partition, i + 1);
        lines += `ack ${r.partition} ${r.seq} ${baseOffset.get(r.partition) + i}\n`;
      }
      process.stdout.write(lines);
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
