package io.tributary.server.txn;

import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Transactions end to end with Apache Kafka's 4.3.1 clients over real sockets: commit and abort as read_committed and
 * read_uncommitted consumers see them, the last stable offset holding read_committed back while a transaction is
 * open, zombie fencing, the coordinator aborting a transaction that outlived its timeout, a consume-transform-produce
 * loop with sendOffsetsToTransaction, and a broker restart in the middle of a transaction.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransactionsIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> SMALL = Map.of(
        "transaction.state.log.num.partitions", "4",
        "offsets.topic.num.partitions", "4",
        "group.initial.rebalance.delay.ms", "0",
        "transaction.abort.timed.out.transaction.cleanup.interval.ms", "200");

    private final BrokerFixture fixture = new BrokerFixture(SMALL);
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception ignored) {
                // a fenced producer may refuse to close cleanly
            }
        }
        fixture.close();
    }

    private void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = fixture.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private KafkaProducer<String, String> producer(String transactionalId, int timeoutMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString(timeoutMs));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        clients.add(producer);
        return producer;
    }

    private KafkaConsumer<String, String> consumer(IsolationLevel isolation, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        clients.add(consumer);
        return consumer;
    }

    /** Every record from the start up to the partitions' end as this isolation level sees it. */
    private List<String> readAll(String topic, int partitions, IsolationLevel isolation) {
        KafkaConsumer<String, String> consumer = consumer(isolation, null);
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
            assertThat(System.nanoTime()).as("read %s up to %s", topic, ends).isLessThan(deadline);
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                values.add(r.value());
            }
        }
        consumer.close();
        clients.remove(consumer);
        return values;
    }

    @Test
    void abortedRecordsAreInvisibleToReadCommittedAndTheLastStableOffsetMovesOnCommit() throws Exception {
        createTopic("events", 2);
        KafkaProducer<String, String> producer = producer("writer", 60_000);
        producer.initTransactions();

        producer.beginTransaction();
        producer.send(new ProducerRecord<>("events", 0, "k", "committed-1")).get();
        producer.send(new ProducerRecord<>("events", 1, "k", "committed-2")).get();
        producer.commitTransaction();

        producer.beginTransaction();
        producer.send(new ProducerRecord<>("events", 0, "k", "aborted-1")).get();
        producer.send(new ProducerRecord<>("events", 1, "k", "aborted-2")).get();
        producer.abortTransaction();

        assertThat(readAll("events", 2, IsolationLevel.READ_COMMITTED)).containsExactlyInAnyOrder("committed-1", "committed-2");
        assertThat(readAll("events", 2, IsolationLevel.READ_UNCOMMITTED))
            .containsExactlyInAnyOrder("committed-1", "committed-2", "aborted-1", "aborted-2");

        // An open transaction holds read_committed back at its first offset; the commit moves the LSO past the marker.
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("events", 0, "k", "open-1")).get();
        TopicPartition p0 = new TopicPartition("events", 0);
        try (Admin admin = fixture.admin()) {
            long lso = latest(admin, p0, IsolationLevel.READ_COMMITTED);
            long end = latest(admin, p0, IsolationLevel.READ_UNCOMMITTED);
            assertThat(lso).isLessThan(end);
            KafkaConsumer<String, String> reader = consumer(IsolationLevel.READ_COMMITTED, null);
            reader.assign(List.of(p0));
            reader.seek(p0, lso);
            assertThat(reader.poll(Duration.ofMillis(500))).isEmpty();
            assertThat(reader.position(p0)).isEqualTo(lso);

            producer.commitTransaction();
            long after = latest(admin, p0, IsolationLevel.READ_COMMITTED);
            assertThat(after).isEqualTo(latest(admin, p0, IsolationLevel.READ_UNCOMMITTED)).isGreaterThan(lso);
            List<String> seen = new ArrayList<>();
            Await.until("the committed record reaches read_committed", WAIT, () -> {
                reader.poll(Duration.ofMillis(100)).forEach(r -> seen.add(r.value()));
                return seen.contains("open-1");
            });
        }
        // DescribeTransactions and ListTransactions through Kafka's admin client
        try (Admin admin = fixture.admin()) {
            TransactionDescription description = admin.describeTransactions(List.of("writer")).description("writer").get(30, TimeUnit.SECONDS);
            assertThat(description.state().toString()).isEqualTo("CompleteCommit");
            Collection<TransactionListing> listed = admin.listTransactions().all().get(30, TimeUnit.SECONDS);
            assertThat(listed).extracting(TransactionListing::transactionalId).contains("writer");
        }
    }

    private static long latest(Admin admin, TopicPartition tp, IsolationLevel isolation) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(isolation)).partitionResult(tp)
            .get(30, TimeUnit.SECONDS).offset();
    }

    @Test
    void aZombieIsFencedAndNoneOfItsRecordsBecomeVisible() throws Exception {
        createTopic("fenced", 1);
        KafkaProducer<String, String> zombie = producer("same-id", 60_000);
        zombie.initTransactions();
        zombie.beginTransaction();
        zombie.send(new ProducerRecord<>("fenced", 0, "k", "zombie-1")).get();

        KafkaProducer<String, String> successor = producer("same-id", 60_000);
        successor.initTransactions(); // aborts the zombie's open transaction and bumps the epoch
        successor.beginTransaction();
        successor.send(new ProducerRecord<>("fenced", 0, "k", "successor-1")).get();
        successor.commitTransaction();

        assertThatThrownBy(() -> {
            zombie.send(new ProducerRecord<>("fenced", 0, "k", "zombie-2")).get();
            zombie.commitTransaction();
        }).satisfies(e -> assertThat(fencing(e)).as("%s", e).isTrue());

        assertThat(readAll("fenced", 1, IsolationLevel.READ_COMMITTED)).containsExactly("successor-1");
    }

    private static boolean fencing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theCoordinatorAbortsATransactionThatOutlivesItsTimeout() throws Exception {
        createTopic("slow", 1);
        KafkaProducer<String, String> producer = producer("slow-writer", 1_000);
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("slow", 0, "k", "never")).get();
        TopicPartition tp = new TopicPartition("slow", 0);
        try (Admin admin = fixture.admin()) {
            assertThat(latest(admin, tp, IsolationLevel.READ_COMMITTED)).isZero();
            // the coordinator's timer (every 200 ms here) aborts it after 1 s: the ABORT marker moves the LSO
            Await.until("the timed-out transaction is aborted", WAIT, () -> {
                try {
                    return latest(admin, tp, IsolationLevel.READ_COMMITTED) == 2;
                } catch (Exception e) {
                    return false;
                }
            });
            TransactionDescription d = admin.describeTransactions(List.of("slow-writer")).description("slow-writer").get(30, TimeUnit.SECONDS);
            assertThat(d.state().toString()).isEqualTo("CompleteAbort");
        }
        assertThatThrownBy(producer::commitTransaction).isInstanceOf(KafkaException.class);
        assertThat(readAll("slow", 1, IsolationLevel.READ_COMMITTED)).isEmpty();
        assertThat(readAll("slow", 1, IsolationLevel.READ_UNCOMMITTED)).containsExactly("never");
    }

    @Test
    void consumeTransformProduceCommitsOffsetsWithTheOutput() throws Exception {
        createTopic("in", 2);
        createTopic("out", 2);
        try (KafkaProducer<String, String> plain = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap()),
            new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                plain.send(new ProducerRecord<>("in", i % 2, "k" + (i % 2), Integer.toString(i)));
            }
            plain.flush();
        }
        KafkaConsumer<String, String> input = consumer(IsolationLevel.READ_COMMITTED, "transformer");
        input.subscribe(List.of("in"));
        KafkaProducer<String, String> output = producer("transformer-1", 60_000);
        output.initTransactions();
        int copied = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        boolean abortedOnce = false;
        while (copied < 100) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            var records = input.poll(Duration.ofMillis(200));
            if (records.isEmpty()) {
                continue;
            }
            output.beginTransaction();
            Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
            for (ConsumerRecord<String, String> r : records) {
                output.send(new ProducerRecord<>("out", r.partition(), r.key(), "x" + r.value()));
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
            output.sendOffsetsToTransaction(offsets, input.groupMetadata());
            if (!abortedOnce) {
                // the first batch is aborted: its output must vanish and its input be read again
                output.abortTransaction();
                abortedOnce = true;
                for (TopicPartition tp : offsets.keySet()) {
                    OffsetAndMetadata committed = input.committed(Set.of(tp)).get(tp);
                    input.seek(tp, committed == null ? 0 : committed.offset());
                }
                continue;
            }
            output.commitTransaction();
            copied += records.count();
        }
        assertThat(copied).isEqualTo(100);
        List<String> out = readAll("out", 2, IsolationLevel.READ_COMMITTED);
        assertThat(out).hasSize(100);
        assertThat(out).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 100).mapToObj(i -> "x" + i).toList());
        Map<TopicPartition, OffsetAndMetadata> committed = input.committed(Set.of(new TopicPartition("in", 0), new TopicPartition("in", 1)));
        assertThat(committed.get(new TopicPartition("in", 0)).offset()).isEqualTo(50);
        assertThat(committed.get(new TopicPartition("in", 1)).offset()).isEqualTo(50);
    }

    @Test
    void aBrokerRestartInTheMiddleOfATransactionLetsItCompleteOrAbortCleanly() throws Exception {
        createTopic("restart", 1);
        KafkaProducer<String, String> before = producer("survivor", 60_000);
        before.initTransactions();
        before.beginTransaction();
        before.send(new ProducerRecord<>("restart", 0, "k", "committed-before")).get();
        before.commitTransaction();
        before.beginTransaction();
        before.send(new ProducerRecord<>("restart", 0, "k", "open-at-restart")).get();
        before.close(Duration.ZERO);
        clients.remove(before);

        fixture.restart();
        fixture.broker().transactionsLoaded().get(30, TimeUnit.SECONDS);
        // the coordinator came back with the open transaction
        TransactionCoordinator.Description d = fixture.broker().transactionCoordinator().describe("survivor").get(10, TimeUnit.SECONDS);
        assertThat(d.state()).isEqualTo(TransactionState.ONGOING);

        // a new producer of the id aborts it and carries on
        KafkaProducer<String, String> after = producer("survivor", 60_000);
        after.initTransactions();
        after.beginTransaction();
        after.send(new ProducerRecord<>("restart", 0, "k", "committed-after")).get();
        after.commitTransaction();
        assertThat(readAll("restart", 1, IsolationLevel.READ_COMMITTED)).containsExactly("committed-before", "committed-after");
    }
}
