package io.tributary.metadata.quorum;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataQuorumConfigTest {
    private static final Path DATA = Path.of("data");

    @Test
    void defaultsAreAQuorumOfOneUnderTheFirstLogDir() {
        MetadataQuorumConfig config = MetadataQuorumConfig.from(MetadataQuorumConfig.KEYS.defaults(), 0, DATA);
        assertThat(config.voters()).isEmpty();
        assertThat(config.ratisStorageDir()).isEqualTo(DATA.resolve("__cluster_metadata"));
        assertThat(config.sessionTimeoutMs()).isEqualTo(9_000);
        assertThat(config.heartbeatIntervalMs()).isEqualTo(2_000);
        assertThat(config.electionTimeoutMin().toMillis()).isEqualTo(150);
    }

    @Test
    void readsVotersAndTheMetadataDirectory() {
        MetadataQuorumConfig config = MetadataQuorumConfig.from(MetadataQuorumConfig.KEYS.parse(Map.of(
            "controller.quorum.voters", "1@h1:9093, 2@[::1]:9094,3@h3:9095",
            "metadata.log.dir", "/var/meta"), ConfigDefinition.UnknownKeys.IGNORE), 2, DATA);
        assertThat(config.voters()).containsExactly(new QuorumVoter(1, "h1", 9093), new QuorumVoter(2, "::1", 9094),
            new QuorumVoter(3, "h3", 9095));
        assertThat(config.voters().get(1).address()).isEqualTo("[::1]:9094");
        assertThat(config.metadataLogDir()).isEqualTo(Path.of("/var/meta"));
        assertThat(config.electionTimeoutMin().toMillis()).isEqualTo(1_500);
    }

    @Test
    void aNodeOutsideTheVotersIsAnObserverAtItsAddressAndTheElectionTimeoutIsConfigurable() {
        MetadataQuorumConfig config = MetadataQuorumConfig.from(MetadataQuorumConfig.KEYS.parse(Map.of(
            "controller.quorum.voters", "1@h1:9093,2@h2:9093,3@h3:9093",
            "metadata.observer.address", "h4:9094",
            "controller.quorum.election.timeout.ms", "700"), ConfigDefinition.UnknownKeys.IGNORE), 4, DATA, "adv");
        assertThat(config.observer()).isEqualTo(new QuorumVoter(4, "h4", 9094));
        assertThat(config.isCluster()).isTrue();
        assertThat(config.electionTimeoutMin().toMillis()).isEqualTo(700);

        MetadataQuorumConfig defaulted = MetadataQuorumConfig.from(MetadataQuorumConfig.KEYS.parse(Map.of(
            "controller.quorum.voters", "1@h1:9093"), ConfigDefinition.UnknownKeys.IGNORE), 5, DATA, "adv");
        assertThat(defaulted.observer()).as("the advertised host, any free port").isEqualTo(new QuorumVoter(5, "adv", 0));
        assertThat(defaulted.isCluster()).isTrue();

        MetadataQuorumConfig voter = MetadataQuorumConfig.from(MetadataQuorumConfig.KEYS.parse(Map.of(
            "controller.quorum.voters", "1@h1:9093,2@h2:9093", "metadata.observer.address", "h4:9094"),
            ConfigDefinition.UnknownKeys.IGNORE), 2, DATA, "adv");
        assertThat(voter.observer()).as("ignored on a voter").isNull();
        assertThat(MetadataQuorumConfig.from(MetadataQuorumConfig.KEYS.defaults(), 0, DATA).isCluster()).isFalse();
    }

    @Test
    void refusesMalformedVotersAMalformedObserverAddressAndAHeartbeatSlowerThanTheSession() {
        assertThatThrownBy(() -> MetadataQuorumConfig.KEYS.parse(Map.of("controller.quorum.voters", "1@h1"),
            ConfigDefinition.UnknownKeys.IGNORE)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("controller.quorum.voters");
        assertThatThrownBy(() -> MetadataQuorumConfig.from(MetadataQuorumConfig.KEYS.parse(Map.of(
            "controller.quorum.voters", "1@h1:1,2@h2:2", "metadata.observer.address", "h3"),
            ConfigDefinition.UnknownKeys.IGNORE), 3, DATA))
            .isInstanceOf(ConfigException.class).hasMessageContaining("metadata.observer.address");
        assertThatThrownBy(() -> MetadataQuorumConfig.KEYS.parse(Map.of("controller.quorum.election.timeout.ms", "0"),
            ConfigDefinition.UnknownKeys.IGNORE)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("controller.quorum.election.timeout.ms");
        assertThatThrownBy(() -> MetadataQuorumConfig.from(MetadataQuorumConfig.KEYS.parse(Map.of(
            "broker.heartbeat.interval.ms", "9000"), ConfigDefinition.UnknownKeys.IGNORE), 0, DATA))
            .isInstanceOf(ConfigException.class).hasMessageContaining("broker.session.timeout.ms");
        assertThat(List.of(QuorumVoter.parse("7@example.org:1"))).containsExactly(new QuorumVoter(7, "example.org", 1));
    }
}
