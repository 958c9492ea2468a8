package io.tributary.protocol.message;

import io.tributary.protocol.message.fetch.FetchRequest;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.fetch.ListOffsetsRequest;
import io.tributary.protocol.message.fetch.ListOffsetsResponse;
import io.tributary.protocol.message.group.JoinGroupRequest;
import io.tributary.protocol.message.group.JoinGroupResponse;
import io.tributary.protocol.message.group.OffsetCommitRequest;
import io.tributary.protocol.message.group.OffsetCommitResponse;
import io.tributary.protocol.message.metadata.MetadataRequest;
import io.tributary.protocol.message.metadata.MetadataResponse;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.produce.ProduceResponse;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Randomised byte-for-byte agreement with Kafka's message classes ({@link KafkaOracle#assertRoundTrip})
 * for the APIs on the hot paths and the group protocol, at random versions.
 */
class KafkaRoundTripProperties {
    private static final int TRIES = 300;

    @Property(tries = TRIES)
    void produceRequest(@ForAll("produceRequests") Sample s) {
        KafkaOracle.assertRoundTrip(s.schema(), s.body(), s.version());
    }

    @Property(tries = TRIES)
    void produceResponse(@ForAll("produceResponses") Sample s) {
        KafkaOracle.assertRoundTrip(s.schema(), s.body(), s.version());
    }

    @Property(tries = TRIES)
    void fetchRequest(@ForAll("fetchRequests") Sample s) {
        KafkaOracle.assertRoundTrip(s.schema(), s.body(), s.version());
    }

    @Property(tries = TRIES)
    void fetchResponse(@ForAll("fetchResponses") Sample s) {
        KafkaOracle.assertRoundTrip(s.schema(), s.body(), s.version());
    }

    @Property(tries = TRIES)
    void metadata(@ForAll("metadata") Sample s) {
        KafkaOracle.assertRoundTrip(s.schema(), s.body(), s.version());
    }

    @Property(tries = TRIES)
    void listOffsets(@ForAll("listOffsets") Sample s) {
        KafkaOracle.assertRoundTrip(s.schema(), s.body(), s.version());
    }

    @Property(tries = TRIES)
    void offsetCommit(@ForAll("offsetCommit") Sample s) {
        KafkaOracle.assertRoundTrip(s.schema(), s.body(), s.version());
    }

    @Property(tries = TRIES)
    void joinGroup(@ForAll("joinGroup") Sample s) {
        KafkaOracle.assertRoundTrip(s.schema(), s.body(), s.version());
    }

    @Provide
    Arbitrary<Sample> produceRequests() {
        return Sample.of(ProduceRequest.SCHEMA);
    }

    @Provide
    Arbitrary<Sample> produceResponses() {
        return Sample.of(ProduceResponse.SCHEMA);
    }

    @Provide
    Arbitrary<Sample> fetchRequests() {
        return Sample.of(FetchRequest.SCHEMA);
    }

    @Provide
    Arbitrary<Sample> fetchResponses() {
        return Sample.of(FetchResponse.SCHEMA);
    }

    @Provide
    Arbitrary<Sample> metadata() {
        return net.jqwik.api.Arbitraries.oneOf(Sample.of(MetadataRequest.SCHEMA), Sample.of(MetadataResponse.SCHEMA));
    }

    @Provide
    Arbitrary<Sample> listOffsets() {
        return net.jqwik.api.Arbitraries.oneOf(Sample.of(ListOffsetsRequest.SCHEMA), Sample.of(ListOffsetsResponse.SCHEMA));
    }

    @Provide
    Arbitrary<Sample> offsetCommit() {
        return net.jqwik.api.Arbitraries.oneOf(Sample.of(OffsetCommitRequest.SCHEMA), Sample.of(OffsetCommitResponse.SCHEMA));
    }

    @Provide
    Arbitrary<Sample> joinGroup() {
        return net.jqwik.api.Arbitraries.oneOf(Sample.of(JoinGroupRequest.SCHEMA), Sample.of(JoinGroupResponse.SCHEMA));
    }
}
