package io.tributary.ops.webconsole;

import io.tributary.console.ConsoleServer;
import io.tributary.console.ConsoleSettings;
import io.tributary.console.auth.UserListLogin;
import io.tributary.server.BrokerFixture;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.security.SecurityProtocol;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tributary.ops.webconsole.ConsoleHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's login: standalone against a user list, inside a broker with a SASL listener against the broker's
 * own PLAIN and SCRAM users; sessions, logout, throttled guessing; and which listener the console's clients use
 * (a logged-in broker user's requests go through clients of their own on a SASL_PLAINTEXT listener: ConsoleAsUserTest).
 */
class ConsoleLoginTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
        + " username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\";";

    private static String cookieOf(ConsoleHttp.Reply login) {
        assertThat(login.setCookie()).startsWith("tributary_console=").contains("HttpOnly").contains("SameSite=Strict");
        return login.setCookie().substring(0, login.setCookie().indexOf(';'));
    }

    @Test
    void standaloneUserListGuardsEveryCallButInfo(@TempDir Path dir) throws IOException {
        Path users = dir.resolve("users.properties");
        Files.writeString(users, "ops=ops-secret\n");
        try (BrokerFixture fixture = new BrokerFixture();
             ConsoleServer console = ConsoleServer.start(ConsoleSettings.standalone(fixture.bootstrap(), "127.0.0.1", 0, false)
                 .withLogin(UserListLogin.of(users)))) {
            ConsoleHttp http = new ConsoleHttp("http://127.0.0.1:" + console.address().getPort());
            var info = http.get("/api/info").json();
            assertThat(info.get("loginRequired").asBoolean()).isTrue();
            assertThat(info.get("loggedIn").asBoolean()).isFalse();
            assertThat(info.has("bootstrapServers")).isFalse();
            assertProblem(http.get("/api/topics"), 401, "UNAUTHENTICATED", "Log in first");
            assertProblem(http.post("/api/topics", "{\"name\":\"sneaky\",\"partitions\":1}"), 401, "UNAUTHENTICATED", "Log in first");
            assertProblem(http.get("/api/topics/x/tail"), 401, "UNAUTHENTICATED", "Log in first");
            assertThat(http.get("/").status()).isEqualTo(200); // the page itself, which shows the login form

            assertProblem(http.post("/api/login", "{\"user\":\"ops\",\"password\":\"wrong\"}"), 401, "SASL_AUTHENTICATION_FAILED", "user list");
            assertProblem(http.post("/api/login", "{\"user\":\"ops\"}"), 400, "BAD_REQUEST", "password");
            String cookie = cookieOf(http.post("/api/login", "{\"user\":\"ops\",\"password\":\"ops-secret\"}"));
            ConsoleHttp in = http.withCookie(cookie);
            assertThat(in.get("/api/info").json().get("principal").asText()).isEqualTo("User:ops");
            assertThat(in.get("/api/topics").status()).isEqualTo(200);
            assertThat(in.post("/api/topics", "{\"name\":\"made-by-ops\",\"partitions\":1}").status()).isEqualTo(201);
            assertThat(http.withCookie("tributary_console=forged").get("/api/topics").status()).isEqualTo(401);

            // a user added to the file can log in without a restart
            Files.writeString(users, "ops=ops-secret\nnew=new-secret\n");
            Files.setLastModifiedTime(users, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
            assertThat(http.post("/api/login", "{\"user\":\"new\",\"password\":\"new-secret\"}").status()).isEqualTo(200);

            assertThat(in.post("/api/logout", "").status()).isEqualTo(200);
            assertProblem(in.get("/api/topics"), 401, "UNAUTHENTICATED", "Log in first");
        }
    }

    @Test
    void repeatedWrongPasswordsAreThrottled(@TempDir Path dir) throws IOException {
        Path users = dir.resolve("users.properties");
        Files.writeString(users, "ops=ops-secret\n");
        try (ConsoleServer console = ConsoleServer.start(ConsoleSettings.standalone("127.0.0.1:1", "127.0.0.1", 0, false)
                 .withLogin(UserListLogin.of(users)))) {
            ConsoleHttp http = new ConsoleHttp("http://127.0.0.1:" + console.address().getPort());
            for (int i = 0; i < 5; i++) {
                assertThat(http.post("/api/login", "{\"user\":\"ops\",\"password\":\"guess-" + i + "\"}").status()).isEqualTo(401);
            }
            assertProblem(http.post("/api/login", "{\"user\":\"ops\",\"password\":\"ops-secret\"}"), 429, "TOO_MANY_ATTEMPTS", "try again in");
        }
    }

    @Test
    void inABrokerWithSaslTheBrokersUsersLogInAndTheConsoleUsesThePlaintextListener() throws Exception {
        Map<String, String> settings = Map.of(
            ServerConfig.LISTENERS, "SASL_PLAINTEXT://127.0.0.1:0,PLAINTEXT://127.0.0.1:0",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS,
            ServerConfig.METRICS_LISTENER, "127.0.0.1:0");
        try (BrokerFixture fixture = new BrokerFixture(settings)) {
            String plaintext = "127.0.0.1:" + fixture.broker().boundAddresses().get(1).getPort();
            ConsoleHttp http = new ConsoleHttp("http://127.0.0.1:" + fixture.broker().metricsAddress().getPort());
            assertThat(http.get("/api/info").json().get("loginSource").asText()).isEqualTo("the broker's SASL users");
            assertProblem(http.get("/api/overview"), 401, "UNAUTHENTICATED", "the broker's SASL users");
            assertThat(http.get("/metrics").status()).isEqualTo(200); // scrapes need no login
            assertProblem(http.post("/api/login", "{\"user\":\"alice\",\"password\":\"admin-secret\"}"), 401,
                "SASL_AUTHENTICATION_FAILED", "Wrong user name or password");
            ConsoleHttp alice = http.withCookie(cookieOf(http.post("/api/login", "{\"user\":\"alice\",\"password\":\"alice-secret\"}")));
            var info = alice.get("/api/info").json();
            assertThat(info.get("principal").asText()).isEqualTo("User:alice");
            assertThat(info.get("bootstrapServers").asText()).isEqualTo(plaintext);
            assertThat(alice.post("/api/topics", "{\"name\":\"alices\",\"partitions\":2}").status()).isEqualTo(201);
            assertThat(alice.get("/api/overview").json().get("topics").asInt()).isEqualTo(1);
            // records go to and come from the PLAINTEXT listener the metadata of that listener names
            assertThat(alice.post("/api/topics/alices/messages", "{\"key\":\"k\",\"value\":\"v\"}").status()).isEqualTo(201);
            assertThat(alice.get("/api/topics/alices/messages?mode=earliest").json().get("records").size()).isEqualTo(1);

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", plaintext))) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("bob",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "bob-secret"))).all().get(20, TimeUnit.SECONDS);
                assertProblem(http.post("/api/login", "{\"user\":\"bob\",\"password\":\"bob-wrong\"}"), 401, "SASL_AUTHENTICATION_FAILED", "Wrong");
                ConsoleHttp bob = http.withCookie(cookieOf(http.post("/api/login", "{\"user\":\"bob\",\"password\":\"bob-secret\"}")));
                assertThat(bob.get("/api/info").json().get("principal").asText()).isEqualTo("User:bob");
                admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("bob", ScramMechanism.SCRAM_SHA_512)))
                    .all().get(20, TimeUnit.SECONDS);
                assertThat(http.post("/api/login", "{\"user\":\"bob\",\"password\":\"bob-secret\"}").status()).isEqualTo(401);
            }
        }
    }

    @Test
    void aBrokerWithOnlyASaslListenerServesEachUserThroughClientsOfTheirOwn() {
        Map<String, String> settings = Map.of(
            ServerConfig.LISTENERS, "SASL_PLAINTEXT://127.0.0.1:0",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS,
            ServerConfig.METRICS_LISTENER, "127.0.0.1:0");
        try (BrokerFixture fixture = new BrokerFixture(settings)) {
            ConsoleHttp http = new ConsoleHttp("http://127.0.0.1:" + fixture.broker().metricsAddress().getPort());
            assertThat(http.get("/api/info").json().has("unavailable")).isFalse(); // the listeners, only to a user
            ConsoleHttp admin = http.withCookie(cookieOf(http.post("/api/login", "{\"user\":\"admin\",\"password\":\"admin-secret\"}")));
            var info = admin.get("/api/info").json();
            assertThat(info.get("unavailable").isNull()).as(info.toString()).isTrue();
            assertThat(info.get("bootstrapServers").asText()).isEqualTo("127.0.0.1:" + fixture.broker().boundAddresses().get(0).getPort());
            assertThat(admin.post("/api/topics", "{\"name\":\"over-sasl\",\"partitions\":1}").status()).isEqualTo(201);
            assertThat(admin.get("/api/topics").json().toString()).contains("over-sasl");
            assertThat(http.get("/metrics").status()).isEqualTo(200);
        }
    }

    @Test
    void aBrokerWithoutAListenerTheConsoleCanUseGetsAConsoleThatSaysWhy(@TempDir Path dir) {
        io.tributary.server.security.TestCertificates.Identity authority = io.tributary.server.security.TestCertificates.authority("Console CA");
        Path keyStore = io.tributary.server.security.TestCertificates.server(authority).writeKeyStore(dir, "broker");
        Map<String, String> settings = Map.of(
            ServerConfig.LISTENERS, "SSL://127.0.0.1:0",
            "ssl.keystore.type", "PKCS12",
            "ssl.keystore.location", keyStore.toString(),
            "ssl.keystore.password", io.tributary.server.security.TestCertificates.PASSWORD,
            ServerConfig.METRICS_LISTENER, "127.0.0.1:0");
        try (BrokerFixture fixture = new BrokerFixture(settings)) {
            ConsoleHttp http = new ConsoleHttp("http://127.0.0.1:" + fixture.broker().metricsAddress().getPort());
            assertThat(http.get("/api/info").json().get("unavailable").asText()).contains("no PLAINTEXT listener");
            assertProblem(http.get("/api/topics"), 503, "CONSOLE_UNAVAILABLE", "CONSOLE://127.0.0.1:9093");
            assertThat(http.get("/metrics").status()).isEqualTo(200);
        }
    }

    @Test
    void theConsoleReachesTheBrokerOverAPlaintextListenerLoopbackFirst() {
        var sasl = new ServerConfig.Endpoint("EXTERNAL", SecurityProtocol.SASL_SSL, "0.0.0.0", 9094);
        var wide = new ServerConfig.Endpoint("INTERNAL", SecurityProtocol.PLAINTEXT, "0.0.0.0", 9092);
        var local = new ServerConfig.Endpoint("CONSOLE", SecurityProtocol.PLAINTEXT, "127.0.0.1", 9093);
        List<InetSocketAddress> bound = List.of(new InetSocketAddress("0.0.0.0", 9094), new InetSocketAddress("0.0.0.0", 9092),
            new InetSocketAddress("127.0.0.1", 9093));
        assertThat(ConsoleExtension.consoleBootstrap(List.of(sasl, wide, local), bound)).isEqualTo("127.0.0.1:9093");
        assertThat(ConsoleExtension.consoleBootstrap(List.of(sasl, wide), bound.subList(0, 2))).isEqualTo("127.0.0.1:9092");
        assertThat(ConsoleExtension.consoleBootstrap(List.of(sasl), bound.subList(0, 1))).isNull();
    }
}
