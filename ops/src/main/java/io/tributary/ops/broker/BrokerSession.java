package io.tributary.ops.broker;

import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.ConfigException;
import io.tributary.protocol.Node;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.clients.network.NetworkClient;
import io.tributary.ops.OperationFailedException;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.metadata.MetadataRequest;
import io.tributary.protocol.message.metadata.MetadataResponse;
import io.tributary.protocol.message.schema.Struct;

import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A connection to the cluster through the clients' network client, for the checks a command makes before its
 * real work: does the topic exist, and how many partitions has it. Asked without auto-creation, so a typo
 * never creates a topic. One request to the first bootstrap broker, answered within {@link #TIMEOUT_MS}.
 */
public final class BrokerSession implements AutoCloseable {
    static final long TIMEOUT_MS = 15_000;

    private final NetworkClient network;
    private final Node bootstrap;

    private BrokerSession(NetworkClient network, Node bootstrap) {
        this.network = network;
        this.bootstrap = bootstrap;
    }

    /** Opens a session after checking that a bootstrap broker accepts connections. */
    public static BrokerSession open(BrokerOptions options, String clientId) {
        BootstrapServers servers = options.requireReachable();
        BootstrapServers.Address first = servers.addresses().get(0);
        Map<String, Object> config = new HashMap<>(options.securityProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS.name(), servers.config());
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS.name(), (int) TIMEOUT_MS);
        NetworkClient network;
        try {
            network = new NetworkClient(ClientConfig.parse(CommonClientConfigs.definition(), config), clientId);
        } catch (ConfigException e) {
            throw new OperationFailedException("invalid client setting: " + e.getMessage(), e);
        }
        return new BrokerSession(network, new Node(-1, first.host(), first.port()));
    }

    /**
     * The partition count of {@code topic}.
     *
     * @throws OperationFailedException "topic NAME does not exist" or the broker's error for it
     */
    public int partitionCount(String topic) {
        Struct request = MetadataRequest.SCHEMA.newStruct()
            .set(MetadataRequest.ALLOW_AUTO_TOPIC_CREATION, false);
        request.add(MetadataRequest.TOPICS).set(MetadataRequest.MetadataRequestTopic.NAME, topic);
        Struct response = await(network.send(bootstrap, ApiKey.METADATA, request), "metadata of topic " + topic);
        for (Struct t : response.get(MetadataResponse.TOPICS)) {
            if (!topic.equals(t.get(MetadataResponse.MetadataResponseTopic.NAME))) {
                continue;
            }
            ErrorCode error = ErrorCode.forCode(t.get(MetadataResponse.MetadataResponseTopic.ERROR_CODE));
            if (error == ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
                throw new OperationFailedException("topic " + topic + " does not exist");
            }
            if (error != ErrorCode.NONE) {
                throw new OperationFailedException("the broker refuses topic " + topic + ": " + error);
            }
            List<Struct> partitions = t.get(MetadataResponse.MetadataResponseTopic.PARTITIONS);
            return partitions.size();
        }
        throw new OperationFailedException("topic " + topic + " does not exist");
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT_MS + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while asking " + bootstrap.address() + " for the " + what);
        } catch (ExecutionException e) {
            throw new OperationFailedException("cannot get the " + what + " from " + bootstrap.address() + ": "
                + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new OperationFailedException("the broker at " + bootstrap.address() + " did not answer within "
                + TIMEOUT_MS / 1000 + " s (asking for the " + what + ")");
        }
    }

    @Override
    public void close() {
        network.close();
    }
}
