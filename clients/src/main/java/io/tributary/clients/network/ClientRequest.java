package io.tributary.clients.network;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Struct;

/**
 * What to send: an API, the range of its versions the caller can build and read, the body, and whether the
 * broker answers (Produce with acks=0 gets no answer: its future completes, with a null body, once the bytes
 * are written).
 *
 * <p>The version used is the highest in both this range and the broker's advertised range for the API.
 */
public record ClientRequest(ApiKey api, short minVersion, short maxVersion, RequestBody body, boolean expectsResponse) {
    public ClientRequest {
        if (api == null || body == null) {
            throw new IllegalArgumentException("A request needs an API and a body, got " + api + " and " + body);
        }
        if (minVersion < api.minVersion() || maxVersion > api.maxVersion() || minVersion > maxVersion) {
            throw new IllegalArgumentException("Versions " + minVersion + "-" + maxVersion + " of " + api.title()
                + " are not within the protocol's " + api.minVersion() + "-" + api.maxVersion());
        }
    }

    /** Any version the protocol module knows, a body built for it, an answer expected. */
    public static ClientRequest of(ApiKey api, RequestBody body) {
        return new ClientRequest(api, api.minVersion(), api.maxVersion(), body, true);
    }

    /** A body the same for every version (fields missing from the version must hold their defaults). */
    public static ClientRequest of(ApiKey api, Struct body) {
        return of(api, version -> body);
    }

    public ClientRequest withVersions(int min, int max) {
        return new ClientRequest(api, (short) min, (short) max, body, expectsResponse);
    }

    public ClientRequest withoutResponse() {
        return new ClientRequest(api, minVersion, maxVersion, body, false);
    }
}
