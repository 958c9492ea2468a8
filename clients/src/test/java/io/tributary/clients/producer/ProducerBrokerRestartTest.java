package io.tributary.clients.producer;

import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker is restarted twice while our idempotent producer sends 100,000 sequenced records: afterwards
 * every record is in the log exactly once, and each partition holds its records in send order.
 */
class ProducerBrokerRestartTest {
    private static final int RECORDS = 100_000;
    private static final int PARTITIONS = 3;
    private static final String TOPIC = "restarts";
    private static final int WINDOW = 4_000;

    @Test
    void everyRecordExactlyOnceAndInOrderAcrossRestarts() throws Exception {
        try (BrokerFixture broker = new BrokerFixture()) {
            try (Admin admin = broker.admin()) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
            }
            Map<String, Object> config = new HashMap<>();
            config.put("bootstrap.servers", broker.bootstrap());
            config.put("linger.ms", 1);
            config.put("batch.size", 8192);
            config.put("request.timeout.ms", 10_000);
            config.put("retry.backoff.ms", 20);
            config.put("retry.backoff.max.ms", 200);
            config.put("reconnect.backoff.max.ms", 200);
            SequencedSendThroughFaults.send(config, TOPIC, RECORDS, WINDOW, broker::restart, Duration.ofSeconds(60));
            SequencedSendThroughFaults.assertExactlyOnceInOrder(broker.bootstrap(), TOPIC, PARTITIONS, RECORDS);
        }
    }
}
