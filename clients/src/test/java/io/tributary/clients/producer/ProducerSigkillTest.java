package io.tributary.clients.producer;

import io.tributary.server.ChildBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The broker process is killed with SIGKILL and restarted, twice, while our idempotent producer (acks=all) sends
 * sequenced records with batches in flight: every acknowledged record is in the log exactly once, in send order
 * per partition.
 *
 * <p>The broker runs with {@code log.flush.interval.messages=1}: every append is fsynced before acks=1/all answer
 * it, which is the setting that makes an acknowledgement mean "on disk" (docs/ARCHITECTURE.md, produce path).
 * A SIGKILL alone keeps what the kernel already has, so the setting is what the test relies on for
 * acknowledged records, not what it proves; what it proves is the producer side: retries after the crash are
 * recognised as duplicates (the broker rebuilds producer state from the recovered log) and order holds.
 */
class ProducerSigkillTest {
    private static final int RECORDS = 20_000;
    private static final int PARTITIONS = 3;
    private static final String TOPIC = "sigkill";
    private static final int WINDOW = 2_000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordOnceAndInOrderAcrossKills() throws Exception {
        try (ChildBroker broker = new ChildBroker(dir, Map.of("log.flush.interval.messages", "1"))) {
            broker.start();
            Properties adminProps = new Properties();
            adminProps.put("bootstrap.servers", broker.bootstrap());
            try (Admin admin = Admin.create(adminProps)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> config = new HashMap<>();
            config.put("bootstrap.servers", broker.bootstrap());
            config.put("acks", "all");
            config.put("linger.ms", 2);
            config.put("batch.size", 8192);
            config.put("request.timeout.ms", 10_000);
            config.put("delivery.timeout.ms", 60_000);
            config.put("retry.backoff.ms", 20);
            config.put("retry.backoff.max.ms", 200);
            config.put("reconnect.backoff.max.ms", 200);
            SequencedSendThroughFaults.Fault killAndStart = () -> {
                broker.kill();
                broker.start();
            };
            SequencedSendThroughFaults.send(config, TOPIC, RECORDS, WINDOW, killAndStart, Duration.ofSeconds(90));
            SequencedSendThroughFaults.assertExactlyOnceInOrder(broker.bootstrap(), TOPIC, PARTITIONS, RECORDS);
        }
    }
}
