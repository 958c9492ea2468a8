/**
 * Kafka's API messages: request and response headers, the bodies of the 24 APIs the broker serves at
 * every version Kafka 4.3 defines for them, and framing.
 *
 * <h2>Design</h2>
 * Each API's request and response is a declarative schema (in the feature packages {@code produce},
 * {@code fetch}, {@code metadata}, {@code group}, {@code admin}) written once for all its versions, as
 * Kafka's own message definitions are: fields with the versions they exist in, their nullable versions,
 * tags, defaults and ignorability, in readable Java ({@link io.tributary.protocol.message.schema}). One
 * generic codec walks a schema to decode into, and encode from, a
 * {@link io.tributary.protocol.message.schema.Struct}, whose typed accessors take the schema's field
 * constants ({@code partition.get(PartitionProduceData.INDEX)} is an {@code int}).
 *
 * <p>Why not a hand-written class per message, as Kafka generates: the served APIs have 320 request and
 * response versions, which take some 5,000 lines as declarations here, and no code generator may be
 * borrowed. Declarative schemas keep each wire fact
 * in one place, let a test compare every version with Kafka's schema and bytes, and give a single bounded
 * decoder to harden against malformed input. The cost is that field access goes through handles rather
 * than named getters, and a struct stores values in a {@code long[]} and an {@code Object[]} rather than in
 * fields; numbers are not boxed and no name lookup happens at run time.
 *
 * <h2>Use by the broker</h2>
 * <pre>{@code
 * // in: one frame without its 4-byte size prefix
 * Request request = Request.read(frame);   // MalformedMessageException -> INVALID_REQUEST / close
 * Struct produce = request.body();         // records: slices of frame, not copies
 * for (Struct topic : produce.get(ProduceRequest.TOPIC_DATA)) { ... }
 *
 * // out: a response, records from log segments sent with sendfile
 * Struct fetch = FetchResponse.SCHEMA.newStruct();
 * fetch.add(FetchResponse.RESPONSES).add(FetchableTopicResponse.PARTITIONS)
 *      .set(PartitionData.RECORDS, segmentSlice);           // an ExternalRecords: length known, bytes not copied
 * OutboundMessage out = OutboundMessage.response(ApiKey.FETCH, version, correlationId, fetch);
 * out.writeFrame(buffer, (position, records) -> ...);       // where each FileRegion goes between buffer slices
 * }</pre>
 * ApiVersions requests of a version we do not serve are answered from the header alone
 * ({@link io.tributary.protocol.message.RequestHeader#read}); see {@link io.tributary.protocol.message.Request}.
 */
package io.tributary.protocol.message;
