/**
 * Tributary's own clients over the Kafka protocol: a producer, a consumer and an admin client that speak
 * to any Kafka-protocol broker through the {@code protocol} module's message schemas and record batches.
 * They never depend on Apache Kafka's client library at run time.
 *
 * <h2>Layout</h2>
 * <ul>
 * <li>this package: types every client shares: {@link io.tributary.protocol.TopicPartition},
 *     {@link io.tributary.protocol.Node}, {@link io.tributary.clients.Headers};</li>
 * <li>{@code config}: typed, validated configuration keys with Kafka's names;</li>
 * <li>{@code errors}: the exception hierarchy;</li>
 * <li>{@code serialization}: {@code Serializer}/{@code Deserializer} and the built-in ones;</li>
 * <li>{@code network}: the non-blocking connection layer ({@code NetworkClient}), one I/O thread per client;</li>
 * <li>{@code metadata}: the cluster metadata cache with bootstrap and refresh;</li>
 * <li>{@code producer}: the producer;</li>
 * <li>{@code admin}: the admin client (topics, configs, offsets, groups).</li>
 * </ul>
 *
 * <h2>Building a client on the core</h2>
 * <pre>{@code
 * ClientConfig config = ClientConfig.parse(CommonClientConfigs.definition().with(MY_KEYS...), props);
 * NetworkClient network = new NetworkClient(config, "my-client-1");
 * Metadata metadata = new Metadata(network, config, true);          // true: allow topic auto-creation
 * Cluster cluster = metadata.awaitTopic("orders", Duration.ofSeconds(60));
 * Node leader = cluster.leader(new TopicPartition("orders", 0));
 * network.send(leader, ApiKey.LIST_OFFSETS, version -> buildBody(version))   // version-aware body
 *        .thenAccept(response -> ...);                                      // runs on the I/O thread: keep it short
 * }</pre>
 */
package io.tributary.clients;

import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.Node;
