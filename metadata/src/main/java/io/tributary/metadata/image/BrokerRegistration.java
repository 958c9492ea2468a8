package io.tributary.metadata.image;

import io.tributary.metadata.record.MetadataRecord.Endpoint;

import java.util.List;

/**
 * One registered broker incarnation as the image holds it. {@code brokerEpoch} tells incarnations apart: a request
 * carrying an older epoch comes from a process that has since restarted (STALE_BROKER_EPOCH).
 *
 * @param rack null when unset
 */
public record BrokerRegistration(int brokerId, long brokerEpoch, List<Endpoint> endpoints, String rack,
                                 boolean fenced) {
    public BrokerRegistration {
        endpoints = List.copyOf(endpoints);
    }

    BrokerRegistration withFenced(boolean nowFenced) {
        return new BrokerRegistration(brokerId, brokerEpoch, endpoints, rack, nowFenced);
    }
}
