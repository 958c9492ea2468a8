package io.tributary.server.cluster;

import io.tributary.metadata.image.BrokerRegistration;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import io.tributary.protocol.Node;
import io.tributary.server.replica.BrokerDirectory;

import java.util.Optional;
import java.util.function.Supplier;

/** {@link BrokerDirectory} over the image's broker registrations (live = registered and unfenced). */
public final class QuorumBrokerDirectory implements BrokerDirectory {
    private final Supplier<MetadataImage> image;
    private final String interBrokerListener;

    public QuorumBrokerDirectory(Supplier<MetadataImage> image, String interBrokerListener) {
        this.image = image;
        this.interBrokerListener = interBrokerListener;
    }

    @Override
    public Optional<Node> endpoint(int brokerId, String listenerName) {
        BrokerRegistration broker = image.get().broker(brokerId);
        if (broker == null || broker.fenced()) {
            return Optional.empty();
        }
        return endpointOf(broker, listenerName);
    }

    /** The broker's endpoint on {@code listenerName} whether fenced or not (Metadata lists fenced replicas too). */
    static Optional<Node> endpointOf(BrokerRegistration broker, String listenerName) {
        for (Endpoint e : broker.endpoints()) {
            if (e.listener().equals(listenerName)) {
                return Optional.of(new Node(broker.brokerId(), e.host(), e.port(), broker.rack()));
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<Node> interBrokerEndpoint(int brokerId) {
        return endpoint(brokerId, interBrokerListener);
    }
}
