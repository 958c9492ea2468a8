/**
 * Serializers and deserializers for record keys and values. The built-in ones (String, byte[], ByteBuffer,
 * Integer, Long, Double) write and read exactly the bytes of Kafka's classes of the same names, so data
 * moves freely between Tributary's and Kafka's clients. Deserializers get a read-only view of the fetched
 * bytes ({@link io.tributary.clients.serialization.Deserializer#deserialize(String, io.tributary.clients.Headers,
 * java.nio.ByteBuffer)}) so they can decode without a copy.
 */
package io.tributary.clients.serialization;
