package io.tributary.metadata.quorum;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The controller requests of elections and reassignments survive their binary form unchanged. */
class ControllerRequestCodecTest {
    private static ControllerRequest roundTrip(ControllerRequest request) {
        return ControllerRequest.decode(ByteBuffer.wrap(ControllerRequest.encode(request)));
    }

    @Test
    void electionsAndReassignmentsRoundTrip() {
        List<ControllerRequest> requests = List.of(
            new ControllerRequest.ElectPreferred("orders", 3),
            new ControllerRequest.ElectUnclean("orders", 0),
            new ControllerRequest.Reassign("orders", 2, List.of(4, 1, 2), true),
            new ControllerRequest.Reassign("orders", 2, List.of(), false),
            new ControllerRequest.Reassign("orders", 1, null, false));
        for (ControllerRequest request : requests) {
            assertThat(roundTrip(request)).isEqualTo(request);
        }
    }
}
