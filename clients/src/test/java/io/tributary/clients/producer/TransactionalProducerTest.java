package io.tributary.clients.producer;

import io.tributary.clients.admin.CommittedOffset;
import io.tributary.clients.admin.TributaryAdmin;
import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.consumer.ConsumerRecords;
import io.tributary.clients.consumer.OffsetAndMetadata;
import io.tributary.clients.consumer.TributaryConsumer;
import io.tributary.clients.errors.InvalidTxnTimeoutException;
import io.tributary.clients.errors.ProducerFencedException;
import io.tributary.clients.errors.TransactionAbortedException;
import io.tributary.clients.serialization.StringSerializer;
import io.tributary.protocol.TopicPartition;
import io.tributary.server.BrokerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.tributary.clients.producer.TransactionTestSupport.WAIT;
import static io.tributary.clients.producer.TransactionTestSupport.createTopic;
import static io.tributary.clients.producer.TransactionTestSupport.producer;
import static io.tributary.clients.producer.TransactionTestSupport.readAll;
import static io.tributary.clients.producer.TransactionTestSupport.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our transactional producer with our consumer on a real broker: committed records are seen once by read_committed
 * and aborted ones never (read_uncommitted sees both, no markers), the last stable offset holds read_committed back
 * while a transaction is open, offsets sent to a transaction become the group's only on commit, a second producer
 * with the same transactional.id fences the first, and misuse fails as in Kafka's client.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransactionalProducerTest {
    private static BrokerFixture broker;

    @BeforeAll
    static void start() {
        broker = new BrokerFixture(TransactionTestSupport.BROKER_SETTINGS);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void committedRecordsAreReadOnceAndAbortedOnesOnlyByReadUncommitted() throws Exception {
        String topic = "txn-visibility";
        createTopic(broker, topic, 2);
        List<String> committed = new ArrayList<>();
        List<String> aborted = new ArrayList<>();
        try (TributaryProducer<String, String> producer = producer(broker, "visibility")) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 6; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "c1-" + i));
                committed.add("c1-" + i);
            }
            producer.commitTransaction();

            producer.beginTransaction();
            List<CompletableFuture<RecordMetadata>> abortedSends = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                abortedSends.add(producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "a-" + i)));
                aborted.add("a-" + i);
            }
            producer.flush();   // written to the log, then aborted: the markers must hide them
            producer.abortTransaction();
            for (CompletableFuture<RecordMetadata> f : abortedSends) {
                assertThat(f.get().offset()).isGreaterThanOrEqualTo(0);
            }

            producer.beginTransaction();
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "c2-" + i));
                committed.add("c2-" + i);
            }
            producer.commitTransaction();
        }

        List<ConsumerRecord<String, String>> readCommitted = readAll(broker, topic, 2, "read_committed");
        assertThat(values(readCommitted)).containsExactlyInAnyOrderElementsOf(committed);
        List<ConsumerRecord<String, String>> readUncommitted = readAll(broker, topic, 2, "read_uncommitted");
        List<String> everything = new ArrayList<>(committed);
        everything.addAll(aborted);
        assertThat(values(readUncommitted)).containsExactlyInAnyOrderElementsOf(everything);
        // Per partition, in offset order: transaction 1, the aborted one, transaction 2, each followed by its marker.
        assertThat(values(readUncommitted.stream().filter(r -> r.partition() == 0).toList()))
            .containsExactly("c1-0", "c1-2", "c1-4", "a-0", "a-2", "a-4", "c2-0", "c2-2");
    }

    @Test
    void anOpenTransactionHoldsReadCommittedAtTheLastStableOffsetUntilItCommits() throws Exception {
        String topic = "txn-lso";
        createTopic(broker, topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (TributaryProducer<String, String> producer = producer(broker, "lso");
             TributaryConsumer<String, String> committed = TransactionTestSupport.consumer(broker, "read_committed", null);
             TributaryConsumer<String, String> uncommitted = TransactionTestSupport.consumer(broker, "read_uncommitted", null)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, null, "first"));
            producer.commitTransaction();   // "first" at 0, its marker at 1
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, null, "open")).get();   // at 2, transaction open

            committed.assign(List.of(tp));
            uncommitted.assign(List.of(tp));
            assertThat(committed.endOffsets(List.of(tp))).containsEntry(tp, 2L);
            assertThat(uncommitted.endOffsets(List.of(tp))).containsEntry(tp, 3L);
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (committed.position(tp) < 2) {
                assertThat(System.nanoTime() - deadline).as("reading up to the last stable offset").isNegative();
                committed.poll(Duration.ofMillis(100)).forEach(r -> seen.add(r.value()));
            }
            // Caught up at the last stable offset: more polls return nothing of the open transaction.
            for (int i = 0; i < 3; i++) {
                committed.poll(Duration.ofMillis(100)).forEach(r -> seen.add(r.value()));
            }
            assertThat(seen).containsExactly("first");
            assertThat(committed.position(tp)).isEqualTo(2);

            producer.commitTransaction();   // marker at 3
            while (committed.position(tp) < 4) {
                assertThat(System.nanoTime() - deadline).as("reading the committed transaction").isNegative();
                committed.poll(Duration.ofMillis(100)).forEach(r -> seen.add(r.value()));
            }
            assertThat(seen).containsExactly("first", "open");
            assertThat(committed.endOffsets(List.of(tp))).containsEntry(tp, 4L);
        }
    }

    @Test
    void offsetsSentToATransactionBecomeTheGroupsOnlyWhenItCommits() throws Exception {
        String input = "ctp-in";
        String output = "ctp-out";
        String group = "ctp-group";
        createTopic(broker, input, 2);
        createTopic(broker, output, 2);
        Map<String, Object> plain = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrap()));
        try (TributaryProducer<String, String> loader = new TributaryProducer<>(plain, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                loader.send(new ProducerRecord<>(input, i % 2, null, "in-" + i));
            }
            loader.flush();
        }
        TopicPartition in0 = new TopicPartition(input, 0);
        TopicPartition in1 = new TopicPartition(input, 1);
        try (TributaryProducer<String, String> producer = producer(broker, "ctp");
             TributaryConsumer<String, String> consumer = TransactionTestSupport.consumer(broker, "read_committed", group);
             TributaryAdmin admin = TributaryAdmin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
            producer.initTransactions();
            consumer.subscribe(List.of(input));

            // Round 1: transform, send the offsets, abort. Nothing of it may show.
            Map<TopicPartition, OffsetAndMetadata> offsets = transformAll(consumer, producer, output, 10);
            assertThat(admin.await(admin.listCommittedOffsets(group))).as("offsets before the commit").isEmpty();
            producer.abortTransaction();
            assertThat(admin.await(admin.listCommittedOffsets(group))).as("offsets after the abort").isEmpty();

            // Round 2: from the last committed offsets (none: the beginning) again, and commit.
            consumer.seekToBeginning(consumer.assignment());
            Map<TopicPartition, OffsetAndMetadata> again = transformAll(consumer, producer, output, 10);
            assertThat(again).isEqualTo(offsets);
            producer.commitTransaction();
            Map<TopicPartition, CommittedOffset> committed = admin.await(admin.listCommittedOffsets(group));
            assertThat(committed.get(in0).offset()).isEqualTo(5);
            assertThat(committed.get(in1).offset()).isEqualTo(5);
        }
        List<String> out = values(readAll(broker, output, 2, "read_committed"));
        assertThat(out).hasSize(10).doesNotHaveDuplicates().allMatch(v -> v.startsWith("out-in-"));
        assertThat(values(readAll(broker, output, 2, "read_uncommitted"))).hasSize(20);
    }

    /** Polls until {@code expected} records came, sends each transformed in a new transaction, and their offsets with it. */
    private static Map<TopicPartition, OffsetAndMetadata> transformAll(TributaryConsumer<String, String> consumer,
                                                                       TributaryProducer<String, String> producer,
                                                                       String output, int expected) {
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        int seen = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (seen < expected) {
            assertThat(System.nanoTime() - deadline).as("consuming %d input records", expected).isNegative();
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
            for (ConsumerRecord<String, String> r : records) {
                producer.send(new ProducerRecord<>(output, r.partition(), null, "out-" + r.value()));
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                seen++;
            }
        }
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        return offsets;
    }

    @Test
    void aSecondProducerWithTheSameIdFencesTheFirstWhoseRecordsNeverShow() throws Exception {
        String topic = "txn-zombie";
        createTopic(broker, topic, 2);
        try (TributaryProducer<String, String> zombie = producer(broker, "zombie");
             TributaryProducer<String, String> successor = producer(broker, "zombie")) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(topic, 0, null, "zombie-1")).get();

            successor.initTransactions();   // fences the zombie; the coordinator aborts its open transaction
            successor.beginTransaction();
            successor.send(new ProducerRecord<>(topic, 0, null, "successor-1"));

            // A partition the zombie has not written to yet: AddPartitionsToTxn is refused as fenced.
            CompletableFuture<RecordMetadata> late = zombie.send(new ProducerRecord<>(topic, 1, null, "zombie-2"));
            assertThatThrownBy(late::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TransactionAbortedException.class)
                .cause().isInstanceOf(ProducerFencedException.class);
            assertThatThrownBy(zombie::commitTransaction).isInstanceOf(ProducerFencedException.class);
            assertThatThrownBy(() -> zombie.send(new ProducerRecord<>(topic, 0, null, "zombie-3")))
                .isInstanceOf(ProducerFencedException.class);
            assertThatThrownBy(zombie::abortTransaction).isInstanceOf(ProducerFencedException.class);

            successor.commitTransaction();
        }
        assertThat(values(readAll(broker, topic, 2, "read_committed"))).containsExactly("successor-1");
        assertThat(values(readAll(broker, topic, 2, "read_uncommitted"))).containsExactly("zombie-1", "successor-1");
    }

    @Test
    void aZombieFencedAtCommitGetsProducerFencedException() throws Exception {
        String topic = "txn-zombie-commit";
        createTopic(broker, topic, 1);
        try (TributaryProducer<String, String> zombie = producer(broker, "zombie-commit");
             TributaryProducer<String, String> successor = producer(broker, "zombie-commit")) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(topic, 0, null, "zombie")).get();
            successor.initTransactions();
            assertThatThrownBy(zombie::commitTransaction).isInstanceOf(ProducerFencedException.class);
        }
        assertThat(values(readAll(broker, topic, 1, "read_committed"))).isEmpty();
    }

    @Test
    void aRefusedRecordMakesTheTransactionAbortableAndTheNextOneCommits() throws Exception {
        String topic = "txn-abortable";
        try (var admin = broker.admin()) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 2, (short) 1)
                .configs(Map.of("max.message.bytes", "1000")))).all().get();
        }
        try (TributaryProducer<String, String> producer = producer(broker, "abortable")) {
            producer.initTransactions();
            producer.beginTransaction();
            CompletableFuture<RecordMetadata> fine = producer.send(new ProducerRecord<>(topic, 0, null, "fine"));
            CompletableFuture<RecordMetadata> tooLarge = producer.send(new ProducerRecord<>(topic, 1, null, "x".repeat(2000)));
            assertThat(fine.get().offset()).isZero();
            assertThatThrownBy(tooLarge::get).cause().isInstanceOf(io.tributary.clients.errors.RecordTooLargeException.class);

            // Only abortTransaction is allowed now.
            assertThatThrownBy(producer::commitTransaction).isInstanceOf(io.tributary.clients.errors.TributaryException.class)
                .hasMessageContaining("abort").cause().isInstanceOf(io.tributary.clients.errors.RecordTooLargeException.class);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, 0, null, "refused")))
                .hasMessageContaining("must be aborted");
            assertThatThrownBy(() -> producer.sendOffsetsToTransaction(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)),
                new io.tributary.clients.consumer.ConsumerGroupMetadata("g"))).hasMessageContaining("must be aborted");
            producer.abortTransaction();   // the failed batch broke partition 1's sequence: the abort bumps the epoch

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, null, "after-0"));
            producer.send(new ProducerRecord<>(topic, 1, null, "after-1"));
            producer.commitTransaction();
        }
        assertThat(values(readAll(broker, topic, 2, "read_committed"))).containsExactly("after-0", "after-1");
        assertThat(values(readAll(broker, topic, 2, "read_uncommitted"))).containsExactly("fine", "after-0", "after-1");
    }

    @Test
    void aTransactionTimeoutAboveTheBrokersMaximumFailsInitTransactions() {
        Map<String, Object> config = TransactionTestSupport.producerConfig(broker, "too-long");
        config.put("transaction.timeout.ms", 900_001);   // the broker's transaction.max.timeout.ms is 900000
        try (TributaryProducer<String, String> producer = new TributaryProducer<>(config, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(producer::initTransactions).isInstanceOf(InvalidTxnTimeoutException.class)
                .hasMessageContaining("INVALID_TRANSACTION_TIMEOUT");
            assertThatThrownBy(producer::beginTransaction).isInstanceOf(InvalidTxnTimeoutException.class);
        }
    }

    @Test
    void misuseFailsAsInKafkasClient() throws Exception {
        String topic = "txn-misuse";
        createTopic(broker, topic, 1);
        try (TributaryProducer<String, String> producer = producer(broker, "misuse")) {
            assertThatThrownBy(producer::beginTransaction).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("initTransactions");
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, 0, null, "x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("initTransactions");
            producer.initTransactions();
            assertThatThrownBy(producer::initTransactions).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(producer::commitTransaction).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no transaction in progress");
            assertThatThrownBy(producer::abortTransaction).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, 0, null, "x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("beginTransaction");
            producer.beginTransaction();
            assertThatThrownBy(producer::beginTransaction).isInstanceOf(IllegalStateException.class);
            producer.send(new ProducerRecord<>(topic, 0, null, "kept"));
            producer.commitTransaction();
            producer.beginTransaction();   // an empty transaction commits without asking the coordinator
            producer.commitTransaction();
        }
        Map<String, Object> plain = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrap()));
        try (TributaryProducer<String, String> notTransactional = new TributaryProducer<>(plain, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(notTransactional::initTransactions).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transactional.id");
        }
        assertThat(values(readAll(broker, topic, 1, "read_committed"))).containsExactly("kept");
    }
}
