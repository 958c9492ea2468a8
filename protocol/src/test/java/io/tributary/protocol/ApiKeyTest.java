package io.tributary.protocol;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Our API keys, version ranges and header versions are Kafka 4.3's. */
class ApiKeyTest {
    @Test
    void rangesAreKafkasStableRanges() {
        for (ApiKey api : ApiKey.values()) {
            ApiMessageType kafka = ApiMessageType.fromApiKey(api.id());
            assertThat(api.name()).as("name of key %d", api.id()).isEqualTo(kafka.name());
            assertThat(api.minVersion()).as("%s lowest version", api).isEqualTo(kafka.lowestSupportedVersion());
            assertThat(api.maxVersion()).as("%s highest version", api).isEqualTo(kafka.highestSupportedVersion(false));
            assertThat(ApiKey.forId(api.id())).isSameAs(api);
        }
    }

    @Test
    void headerVersionsFollowKafkaIncludingTheApiVersionsException() {
        for (ApiKey api : ApiKey.values()) {
            ApiKeys kafka = ApiKeys.forId(api.id());
            for (short v = api.minVersion(); v <= api.maxVersion(); v++) {
                assertThat(api.requestHeaderVersion(v)).as("%s v%d request header", api, v).isEqualTo(kafka.requestHeaderVersion(v));
                assertThat(api.responseHeaderVersion(v)).as("%s v%d response header", api, v).isEqualTo(kafka.responseHeaderVersion(v));
            }
        }
        assertThat(ApiKey.API_VERSIONS.isFlexible((short) 3)).isTrue();
        assertThat(ApiKey.API_VERSIONS.responseHeaderVersion((short) 3)).isZero();
        assertThat(ApiKey.API_VERSIONS.requestHeaderVersion((short) 3)).isEqualTo((short) 2);
    }

    @Test
    void unknownKeysAreNull() {
        assertThat(ApiKey.forId((short) 4)).isNull();
        assertThat(ApiKey.forId((short) -1)).isNull();
        assertThat(ApiKey.forId((short) 1000)).isNull();
    }
}
