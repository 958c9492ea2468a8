package io.tributary.server.security.sasl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FileCredentialStoreTest {
    @TempDir
    Path dir;

    @Test
    void changesSurviveAReopenAndNoPasswordIsStored() throws Exception {
        FileCredentialStore store = FileCredentialStore.open(dir);
        assertThat(store.all()).isEmpty();
        ScramMechanism sha256 = ScramMechanism.SCRAM_SHA_256;
        byte[] salt = "salt-1".getBytes(StandardCharsets.US_ASCII);
        ScramCredential alice = sha256.credential(salt, sha256.saltedPassword("alice-password".getBytes(StandardCharsets.UTF_8), salt, 4096), 4096);
        ScramCredential odd = ScramMechanism.SCRAM_SHA_512.credential(salt, new byte[64], 8192);
        store.apply(List.of(new CredentialStore.Change("alice", sha256, alice),
            new CredentialStore.Change("o d,d=\u00e9", ScramMechanism.SCRAM_SHA_512, odd)));

        FileCredentialStore reopened = FileCredentialStore.open(dir);
        ScramCredential read = reopened.credential("alice", sha256);
        assertThat(read.salt()).isEqualTo(alice.salt());
        assertThat(read.storedKey()).isEqualTo(alice.storedKey());
        assertThat(read.serverKey()).isEqualTo(alice.serverKey());
        assertThat(read.iterations()).isEqualTo(4096);
        assertThat(reopened.credential("o d,d=\u00e9", ScramMechanism.SCRAM_SHA_512).iterations()).isEqualTo(8192);
        assertThat(reopened.credential("alice", ScramMechanism.SCRAM_SHA_512)).isNull();
        assertThat(Files.readString(dir.resolve(FileCredentialStore.FILE_NAME))).doesNotContain("alice-password");

        reopened.apply(List.of(new CredentialStore.Change("alice", sha256, null)));
        assertThat(FileCredentialStore.open(dir).all()).containsOnlyKeys("o d,d=\u00e9");
    }
}
