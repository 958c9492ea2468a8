/**
 * JMH micro-benchmarks of the hot paths, run from the bench jar:
 * {@code java -jar bench/target/tributary-bench.jar jmh [JMH options] [benchmark regex]}.
 * Each reports throughput or time per operation of one piece in isolation: record-batch encode and decode
 * per codec, log append and read, index lookups, murmur2 key routing, Produce and Fetch request codecs.
 */
package io.tributary.bench.micro;
