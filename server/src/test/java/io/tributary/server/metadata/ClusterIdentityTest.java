package io.tributary.server.metadata;

import io.tributary.log.LogStorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** meta.properties: created unconfirmed, adopting or confirming the quorum's id, refusing another cluster's. */
@Timeout(30)
class ClusterIdentityTest {
    @TempDir
    Path dir;

    @Test
    void aFreshDirectoryGetsARandomUnconfirmedIdThatAdoptsTheQuorums() throws Exception {
        ClusterIdentity fresh = ClusterIdentity.loadOrCreate(dir, 4);
        assertThat(fresh.clusterId()).hasSize(22);
        assertThat(fresh.confirmed()).isFalse();
        assertThat(text()).doesNotContain("cluster.id.confirmed");

        assertThat(fresh.agree("quorum-id-aaaaaaaaaaaa")).isEqualTo(ClusterIdentity.Agreement.ADOPTED);
        assertThat(fresh.clusterId()).isEqualTo("quorum-id-aaaaaaaaaaaa");
        assertThat(fresh.confirmed()).isTrue();
        assertThat(text()).contains("cluster.id=quorum-id-aaaaaaaaaaaa\n", "node.id=4\n", "cluster.id.confirmed=true\n",
            "version=1\n");
        assertThat(fresh.agree("quorum-id-aaaaaaaaaaaa")).isEqualTo(ClusterIdentity.Agreement.UNCHANGED);

        ClusterIdentity restarted = ClusterIdentity.loadOrCreate(dir, 4);
        assertThat(restarted.clusterId()).isEqualTo("quorum-id-aaaaaaaaaaaa");
        assertThat(restarted.confirmed()).isTrue();
        assertThat(restarted.agree("quorum-id-aaaaaaaaaaaa")).isEqualTo(ClusterIdentity.Agreement.UNCHANGED);
    }

    @Test
    void aFileFromBeforeTheAgreementIsConfirmedWhenTheQuorumChoseItsOwnId() throws Exception {
        Files.writeString(dir.resolve(ClusterIdentity.FILE),
            "# Tributary broker identity\nversion=1\ncluster.id=old-single-node-id-xx\nnode.id=0\n");
        ClusterIdentity upgraded = ClusterIdentity.loadOrCreate(dir, 0);
        assertThat(upgraded.clusterId()).isEqualTo("old-single-node-id-xx");
        assertThat(upgraded.confirmed()).isFalse();
        assertThat(upgraded.agree("old-single-node-id-xx")).isEqualTo(ClusterIdentity.Agreement.CONFIRMED);
        assertThat(ClusterIdentity.loadOrCreate(dir, 0).confirmed()).isTrue();
        assertThat(text()).contains("cluster.id=old-single-node-id-xx\n", "cluster.id.confirmed=true\n");
    }

    @Test
    void aConfirmedIdOfAnotherClusterIsRefusedAndLeftAlone() throws Exception {
        ClusterIdentity identity = ClusterIdentity.loadOrCreate(dir, 2);
        identity.agree("cluster-one-aaaaaaaaaaa");
        String before = text();

        ClusterIdentity restarted = ClusterIdentity.loadOrCreate(dir, 2);
        assertThat(restarted.agree("cluster-two-bbbbbbbbbbb")).isEqualTo(ClusterIdentity.Agreement.REFUSED);
        assertThat(restarted.clusterId()).as("still its own, never the other's").isEqualTo("cluster-one-aaaaaaaaaaa");
        assertThat(text()).isEqualTo(before);
        InconsistentClusterIdException refusal = restarted.refusal("cluster-two-bbbbbbbbbbb");
        assertThat(refusal.localClusterId()).isEqualTo("cluster-one-aaaaaaaaaaa");
        assertThat(refusal.quorumClusterId()).isEqualTo("cluster-two-bbbbbbbbbbb");
        assertThat(refusal.file()).isEqualTo(dir.resolve(ClusterIdentity.FILE));
        assertThat(refusal.getMessage()).contains("cluster-one-aaaaaaaaaaa", "cluster-two-bbbbbbbbbbb", dir.toString());
    }

    @Test
    void anotherNodesDirectoryIsRefusedAtLoad() {
        ClusterIdentity.loadOrCreate(dir, 1);
        assertThatThrownBy(() -> ClusterIdentity.loadOrCreate(dir, 2)).isInstanceOf(LogStorageException.class)
            .hasMessageContaining("belongs to node.id 1 but this broker is configured as node.id 2");
    }

    private String text() throws Exception {
        return Files.readString(dir.resolve(ClusterIdentity.FILE), StandardCharsets.UTF_8);
    }
}
