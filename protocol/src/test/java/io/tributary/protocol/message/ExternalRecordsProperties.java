package io.tributary.protocol.message;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.ExternalRecordsTest.Payload;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.fetch.FetchResponse.FetchableTopicResponse;
import io.tributary.protocol.message.fetch.FetchResponse.PartitionData;
import io.tributary.protocol.message.schema.Struct;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.ByteBuffer;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Splicing external records gives the inline encoding, for random fetch responses at every version. */
class ExternalRecordsProperties {
    @Provide
    Arbitrary<Sample> fetchResponses() {
        return Sample.of(FetchResponse.SCHEMA);
    }

    /** Any fetch response: sending its records externally gives the bytes of sending them inline. */
    @Property(tries = 300)
    void anyFetchResponseSplicesToItsInlineEncoding(@ForAll("fetchResponses") Sample s) {
        Struct inline = s.body();
        Struct external = FetchResponse.SCHEMA.read(KafkaOracle.encode(FetchResponse.SCHEMA, inline, s.version()), s.version());
        int expectedExternal = 0;
        for (Struct topic : external.get(FetchResponse.RESPONSES)) {
            for (Struct partition : topic.get(FetchableTopicResponse.PARTITIONS)) {
                ByteBuffer records = partition.get(PartitionData.RECORDS);
                if (records != null) {
                    partition.set(PartitionData.RECORDS, new Payload(records));
                    expectedExternal += records.remaining();
                }
            }
        }
        OutboundMessage out = OutboundMessage.response(ApiKey.FETCH, s.version(), 5, external);
        assertThat(out.externalSize()).isEqualTo(expectedExternal);
        OutboundMessage reference = OutboundMessage.response(ApiKey.FETCH, s.version(), 5, inline);
        ByteBuffer expected = ByteBuffer.allocate(reference.inlineSize());
        reference.writeFrame(expected);
        assertThat(ExternalRecordsTest.sendAsBroker(out, new ArrayList<>())).isEqualTo(expected.flip());
    }

}
