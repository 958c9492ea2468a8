package io.tributary.clients.security.sasl;

import io.tributary.clients.security.JaasConfig;
import org.junit.jupiter.api.Test;

import javax.security.sasl.SaslException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SASL clients' messages against the RFCs' examples and Kafka's formats, and the JAAS parser. */
class SaslClientsTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void scramSha256FollowsRfc7677sExample() throws SaslException {
        ScramClient client = new ScramClient(ScramClient.Algorithm.SHA_256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        assertThat(new String(client.initialResponse(), StandardCharsets.UTF_8)).isEqualTo("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        byte[] last = client.evaluate(utf8("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        assertThat(new String(last, StandardCharsets.UTF_8)).isEqualTo(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertThat(client.isComplete()).isFalse();
        assertThat(client.evaluate(utf8("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))).isNull();
        assertThat(client.isComplete()).isTrue();
    }

    @Test
    void scramRefusesAServerThatDoesNotKnowThePasswordOrWeakensIt() throws SaslException {
        ScramClient wrongSignature = new ScramClient(ScramClient.Algorithm.SHA_256, "user", "pencil", "abc");
        wrongSignature.initialResponse();
        wrongSignature.evaluate(utf8("r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        assertThatThrownBy(() -> wrongSignature.evaluate(utf8("v=" + Base64.getEncoder().encodeToString(new byte[32]))))
            .isInstanceOf(SaslException.class).hasMessageContaining("signature");
        ScramClient weak = new ScramClient(ScramClient.Algorithm.SHA_512, "user", "pencil", "abc");
        weak.initialResponse();
        assertThatThrownBy(() -> weak.evaluate(utf8("r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=100")))
            .hasMessageContaining("100 iterations");
        ScramClient foreignNonce = new ScramClient(ScramClient.Algorithm.SHA_512, "user", "pencil", "abc");
        foreignNonce.initialResponse();
        assertThatThrownBy(() -> foreignNonce.evaluate(utf8("r=xyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")))
            .hasMessageContaining("nonce");
        assertThat(ScramClient.saslName("a=b,c")).isEqualTo("a=3Db=2Cc");
    }

    @Test
    void plainAndOauthBearerMessagesAreKafkas() throws SaslException {
        assertThat(new PlainClient("alice", "s3cret").initialResponse()).isEqualTo(utf8("\0alice\0s3cret"));
        JaasConfig jaas = JaasConfig.parse("org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
            + " unsecuredLoginStringClaim_sub=\"alice\" unsecuredLoginListClaim_roles=\",ops,dev\" unsecuredLoginExtension_traceId=\"t1\";");
        String message = new String(OAuthBearerClient.unsecured(jaas).initialResponse(), StandardCharsets.UTF_8);
        assertThat(message).startsWith("n,,\u0001auth=Bearer ").endsWith("\u0001traceId=t1\u0001\u0001");
        String token = message.substring("n,,\u0001auth=Bearer ".length(), message.indexOf('\u0001', 4));
        String[] parts = token.split("\\.", -1);
        assertThat(parts).hasSize(3);
        assertThat(parts[2]).isEmpty();
        assertThat(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)).isEqualTo("{\"alg\":\"none\"}");
        assertThat(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
            .contains("\"sub\":\"alice\"").contains("\"roles\":[\"ops\",\"dev\"]").contains("\"exp\":").contains("\"iat\":");
        // an error challenge is acknowledged with 0x01, after which the broker's error follows
        OAuthBearerClient client = OAuthBearerClient.unsecured(jaas);
        client.initialResponse();
        assertThat(client.evaluate(utf8("{\"status\":\"invalid_token\"}"))).isEqualTo(new byte[] {1});
        assertThat(client.isComplete()).isFalse();
    }

    @Test
    void jaasOptionsAreReadWithQuotesAndEscapes() {
        JaasConfig jaas = JaasConfig.parse("  org.apache.kafka.common.security.scram.ScramLoginModule  required\n"
            + " username=\"al ice\" password=\"p;a\\\"ss\\\\\" tokenauth=false ;");
        assertThat(jaas.loginModule()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
        assertThat(jaas.options()).isEqualTo(Map.of("username", "al ice", "password", "p;a\"ss\\", "tokenauth", "false"));
        assertThat(jaas.toString()).doesNotContain("p;a");
        assertThatThrownBy(() -> JaasConfig.parse("Module required username=\"x\""))
            .hasMessageContaining("does not end with ';'");
        assertThatThrownBy(() -> JaasConfig.parse("Module maybe username=\"x\";"))
            .hasMessageContaining("required, requisite, sufficient or optional");
        assertThatThrownBy(() -> JaasConfig.parse("Module required password=\"secret;"))
            .hasMessageContaining("no closing quote").hasMessageNotContaining("secret");
    }
}
