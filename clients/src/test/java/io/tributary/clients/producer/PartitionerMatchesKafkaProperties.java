package io.tributary.clients.producer;

import io.tributary.protocol.routing.Murmur2;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.utils.Utils;

import static org.assertj.core.api.Assertions.assertThat;

/** A key goes to the same partition with our producer as with Kafka's, for any key and partition count. */
class PartitionerMatchesKafkaProperties {
    @Property(tries = 2000)
    void sameKeySamePartition(@ForAll @Size(max = 200) byte[] key, @ForAll @IntRange(min = 1, max = 10_000) int partitions) {
        int ours = BuiltInPartitioner.partitionForKey(key, partitions);
        assertThat(ours)
            .isEqualTo(org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(key, partitions))
            .isEqualTo(Utils.toPositive(Utils.murmur2(key)) % partitions);
        assertThat(Murmur2.hash(key)).isEqualTo(Utils.murmur2(key));
    }
}
