package io.tributary.server.api;

import io.tributary.log.LogSlice;
import io.tributary.protocol.message.schema.Struct;

import java.util.List;

/**
 * What a handler answers: a response body, and the log slices its records fields refer to. Ownership of
 * the slices passes with the response: the network layer sends them as file regions and releases them,
 * or releases them when the response cannot be sent. {@link #NONE} means no response at all (a produce
 * with acks=0). A positive {@code throttleMs} (a client over its quota) mutes the connection for that long once the
 * response is written, as Kafka mutes the channel (KIP-219); the body's throttle_time_ms says the same to the client.
 */
public record ApiResponse(Struct body, List<LogSlice> slices, int throttleMs) {
    public static final ApiResponse NONE = new ApiResponse(null, List.of());

    public ApiResponse(Struct body, List<LogSlice> slices) {
        this(body, slices, 0);
    }

    /** This response, muting its connection for {@code ms} after it is written. */
    public ApiResponse throttled(int ms) {
        return new ApiResponse(body, slices, ms);
    }

    public static ApiResponse of(Struct body) {
        return new ApiResponse(body, List.of());
    }

    public boolean isNone() {
        return body == null;
    }

    /** Releases the slices of a response that will not be sent. */
    public void discard() {
        slices.forEach(LogSlice::release);
    }
}
