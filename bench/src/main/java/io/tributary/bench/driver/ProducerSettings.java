package io.tributary.bench.driver;

/** What a workload asks of each producer: acks ("0", "1", "all"), codec name, batch bytes and linger. */
public record ProducerSettings(String acks, String compression, int batchSize, int lingerMs) {
}
