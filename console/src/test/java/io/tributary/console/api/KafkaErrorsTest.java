package io.tributary.console.api;

import io.tributary.clients.errors.ApiException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.console.http.ApiProblem;
import io.tributary.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** What the browser is told when the broker refuses: the Kafka error name, an HTTP status, and what it means. */
class KafkaErrorsTest {
    @Test
    void authorizationRefusalsAre403WithTheKafkaNameAndPlainWords() {
        ApiProblem topic = KafkaErrors.problem(new CompletionException(new ApiException(ErrorCode.TOPIC_AUTHORIZATION_FAILED,
            "Creating topic orders failed: not authorized")));
        assertThat(topic.status()).isEqualTo(403);
        assertThat(topic.error()).isEqualTo("TOPIC_AUTHORIZATION_FAILED");
        assertThat(topic.getMessage()).startsWith("Creating topic orders failed: not authorized")
            .endsWith("the principal the console acts as may not do this to the topic");
        for (ErrorCode code : new ErrorCode[] {ErrorCode.GROUP_AUTHORIZATION_FAILED, ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
            ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED}) {
            ApiProblem p = KafkaErrors.problem(new ApiException(code, "refused"));
            assertThat(p.status()).as(code.name()).isEqualTo(403);
            assertThat(p.error()).isEqualTo(code.name());
            assertThat(p.getMessage()).contains("may not");
        }
    }

    @Test
    void otherRefusalsKeepTheirNamesAndStatuses() {
        assertThat(KafkaErrors.problem(new ApiException(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "no orders")).status()).isEqualTo(404);
        assertThat(KafkaErrors.problem(new ApiException(ErrorCode.NON_EMPTY_GROUP, "busy")).status()).isEqualTo(409);
        ApiProblem leader = KafkaErrors.problem(new ApiException(ErrorCode.LEADER_NOT_AVAILABLE, "no leader"));
        assertThat(leader.status()).isEqualTo(503);
        assertThat(leader.getMessage()).contains("retry in a moment");
        ApiProblem timeout = KafkaErrors.problem(new TimeoutException("Listing offsets timed out"));
        assertThat(timeout.status()).isEqualTo(504);
        assertThat(timeout.error()).isEqualTo("TIMEOUT");
    }
}
