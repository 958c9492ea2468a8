// kafkajs consumer-group reader for the cluster failover test (LibrdkafkaAndKafkajsLeaderCrashTest).
//
// Usage: node consumer.js <bootstrap host:port,...> <topic> <group> <deadline ms>
// Reads the topic's end offsets (high watermarks) first, then joins <group>, subscribed from the beginning, and
// prints "<partition> <offset> <value>" for every record until each partition reaches its end offset; then "done"
// and exit 0. Past the deadline: "timeout" and exit 2.
'use strict';
const { Kafka, logLevel } = require('kafkajs');

const [bootstrap, topic, groupId, deadlineMs] = process.argv.slice(2);
const toStderr = () => ({ namespace, level, label, log }) => {
  const { message, ...extra } = log;
  process.stderr.write(`${label} [${namespace}] ${message} ${JSON.stringify(extra)}\n`);
};
const kafka = new Kafka({
  clientId: 'failover-consumer',
  brokers: bootstrap.split(','),
  logLevel: logLevel.WARN,
  logCreator: toStderr,
  connectionTimeout: 3000,
  requestTimeout: 15000,
});

setTimeout(() => {
  process.stdout.write('timeout\n');
  process.exit(2);
}, Number(deadlineMs)).unref();

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map(o => [o.partition, Number(o.high)]));
  await admin.disconnect();
  const next = new Map([...ends.keys()].map(p => [p, 0]));
  const reachedEnd = () => [...ends].every(([p, end]) => next.get(p) >= end);

  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });
  let finished = false;
  const finish = async () => {
    if (finished) {
      return;
    }
    finished = true;
    process.stdout.write('done\n');
    await consumer.disconnect();
    process.exit(0);
  };
  if (reachedEnd()) {
    process.stdout.write('done\n');
    process.exit(0);
  }
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      if (finished) {
        return;
      }
      process.stdout.write(`${partition} ${message.offset} ${message.value.toString()}\n`);
      next.set(partition, Number(message.offset) + 1);
      if (reachedEnd()) {
        // not awaited here: disconnecting from inside eachMessage would wait for this very handler
        setImmediate(finish);
      }
    },
  });
}

main().catch(e => {
  process.stdout.write(`error ${String(e && e.message).replace(/\s+/g, ' ')}\n`);
  process.exit(1);
});
