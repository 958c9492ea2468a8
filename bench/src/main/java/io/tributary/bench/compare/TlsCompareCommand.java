package io.tributary.bench.compare;

import io.tributary.bench.report.Json;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code tls-compare}, issue 15's security figures: what SASL_SSL (TLS + SCRAM-SHA-512) costs against PLAINTEXT, on
 * Apache Kafka 4.3.1 (the JDK's TLS engine, its only one) and on Tributary with each of its engines ({@code ssl.engine}
 * jdk and openssl, netty-tcnative). Per round a fresh single-node instance of each (Kafka, Tributary/jdk,
 * Tributary/openssl, then again), child JVMs with Kafka's default flags, each listening for PLAINTEXT and for SASL_SSL
 * on 127.0.0.1 with the same certificate, made for the run ({@link BenchCertificates}) and deleted after it. A SCRAM
 * user is created on each through AlterUserScramCredentials (4096 iterations). Then, with kafka-clients in this JVM,
 * on each listener in turn:
 * <ol>
 *   <li>produce: one producer (acks=1, linger 5 ms, batch 64 KiB), 1 KiB records as fast as it can to a topic of 6
 *       partitions; records/s over the measured window after the warm-up;</li>
 *   <li>consume: one consumer reads that topic back from offset 0 (client defaults); records/s;</li>
 *   <li>broker CPU (the broker JVM's user + system time) per GB over both;</li>
 *   <li>new connections per second ({@link HandshakeLoop}): connect, TLS handshake and SCRAM exchange where there
 *       are any, one ApiVersions, close; one at a time for a fixed time; and the broker JVM's CPU per connection, its
 *       own share of a cost the client shares.</li>
 * </ol>
 * The figures that matter are the ratios SASL_SSL / PLAINTEXT within each instance; the table also gives each
 * Tributary engine's figures over Kafka's per round. Writes {@code tls-compare.md} and {@code tls-compare.json}.
 */
@Command(name = "tls-compare", mixinStandardHelpOptions = true,
    description = "SASL_SSL (SCRAM-SHA-512) against PLAINTEXT on Apache Kafka (JDK TLS) and Tributary (JDK and OpenSSL TLS): "
        + "produce, consume, new connections per second.")
public final class TlsCompareCommand implements Callable<Integer> {
    static final String PLAINTEXT = "PLAINTEXT";
    static final String SASL_SSL = "SASL_SSL";
    private static final String USER = "bench";
    private static final int SCRAM_ITERATIONS = 4096;

    @Option(names = "--rounds", description = "Instances of each broker and engine, interleaved (default: ${DEFAULT-VALUE}).")
    int rounds = 2;

    @Option(names = "--engines", split = ",", description = "Tributary's TLS engines to measure, jdk and/or openssl (default: ${DEFAULT-VALUE}).")
    List<String> engines = List.of("jdk", "openssl");

    @Option(names = "--key-algorithm", description = "Key of the certificate authority and the broker, RSA (2048) or EC (P-256) "
        + "(default: ${DEFAULT-VALUE}).")
    String keyAlgorithm = "RSA";

    @Option(names = "--record-size", description = "Bytes per record value (default: ${DEFAULT-VALUE}).")
    int recordSize = 1024;

    @Option(names = "--partitions", description = "Partitions of each topic (default: ${DEFAULT-VALUE}).")
    int partitions = 6;

    @Option(names = "--warmup", description = "Seconds of producing before the measured window (default: ${DEFAULT-VALUE}).")
    int warmupSeconds = 5;

    @Option(names = "--duration", description = "Measured seconds of each produce run (default: ${DEFAULT-VALUE}).")
    int durationSeconds = 20;

    @Option(names = "--handshake-seconds", description = "Seconds of new connections per listener (default: ${DEFAULT-VALUE}).")
    int handshakeSeconds = 10;

    @Option(names = "--handshake-warmup", description = "Seconds of uncounted new connections first (default: ${DEFAULT-VALUE}).")
    int handshakeWarmupSeconds = 2;

    @Option(names = "--handshake-max", description = "At most this many new connections per listener (default: ${DEFAULT-VALUE}).")
    int handshakeMax = 20_000;

    @Mixin
    BrokerBuilds builds = new BrokerBuilds();

    @Option(names = "--work-dir", description = "Where data directories go; emptied after each instance (default: ${DEFAULT-VALUE}).")
    Path workDir = Path.of("bench/target/tls-compare-work");

    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-results/tls-compare");

    /** One broker instance of a round: Kafka, or Tributary with one TLS engine. */
    record Target(BrokerProcess.Kind kind, String engine) {
        String label() {
            return kind == BrokerProcess.Kind.KAFKA ? kind.label : kind.label + "-" + engine;
        }
    }

    /** The instances of one round, in the order they run: Kafka (JDK TLS), then Tributary with each engine. */
    List<Target> targets() {
        List<Target> targets = new ArrayList<>(List.of(new Target(BrokerProcess.Kind.KAFKA, "jdk")));
        engines.forEach(engine -> targets.add(new Target(BrokerProcess.Kind.TRIBUTARY, engine)));
        return targets;
    }

    void validate() {
        if (rounds < 1 || rounds > 10) {
            throw new IllegalArgumentException("--rounds " + rounds + " must be in [1, 10]");
        }
        if (engines.isEmpty() || !List.of("jdk", "openssl").containsAll(engines) || engines.stream().distinct().count() != engines.size()) {
            throw new IllegalArgumentException("--engines " + engines + " must name jdk and/or openssl, each once");
        }
        if (!List.of("RSA", "EC").contains(keyAlgorithm)) {
            throw new IllegalArgumentException("--key-algorithm " + keyAlgorithm + " must be RSA or EC");
        }
        if (recordSize < 1 || recordSize > 1 << 20) {
            throw new IllegalArgumentException("--record-size " + recordSize + " must be in [1, 1048576]");
        }
        if (partitions < 1 || partitions > 1000) {
            throw new IllegalArgumentException("--partitions " + partitions + " must be in [1, 1000]");
        }
        if (warmupSeconds < 0 || durationSeconds < 1 || handshakeWarmupSeconds < 0 || handshakeSeconds < 1
            || warmupSeconds + durationSeconds + handshakeWarmupSeconds + handshakeSeconds > 3600) {
            throw new IllegalArgumentException("--warmup " + warmupSeconds + ", --duration " + durationSeconds + ", --handshake-warmup "
                + handshakeWarmupSeconds + " and --handshake-seconds " + handshakeSeconds
                + " must be >= 0, >= 1, >= 0 and >= 1 s and together at most an hour");
        }
        if (handshakeMax < 1) {
            throw new IllegalArgumentException("--handshake-max " + handshakeMax + " must be at least 1");
        }
    }

    @Override
    public Integer call() throws Exception {
        validate();
        builds.requirePresent();
        List<String> flags = builds.flagList();
        System.out.printf("tls-compare: %d round(s) of %s; %s keys; JVM flags for all: %s%n", rounds,
            targets().stream().map(Target::label).toList(), keyAlgorithm, builds.jvmFlags);
        Path tls = Files.createTempDirectory("tributary-bench-tls");
        RoundTable table = new RoundTable(BrokerProcess.Kind.KAFKA.label);
        boolean failed = false;
        try {
            BenchCertificates certificates = BenchCertificates.create(tls, keyAlgorithm);
            String userPassword = randomSecret();
            for (int round = 1; round <= rounds; round++) {
                for (Target target : targets()) {
                    Path dir = workDir.resolve(target.label() + "-" + round);
                    CompareCommand.deleteTree(dir);
                    Map<String, Double> figures = new LinkedHashMap<>();
                    BrokerProcess.SaslSsl listener = new BrokerProcess.SaslSsl(certificates.keyStore(), certificates.password(), target.engine());
                    try (BrokerProcess broker = BrokerProcess.start(target.kind(), dir, builds.kafkaLib, builds.tributaryJar, flags, listener)) {
                        System.out.printf("%n%s round %d: PLAINTEXT %s, SASL_SSL %s, listening after %.2f s%n", target.label(), round,
                            broker.bootstrap(), broker.secureBootstrap(), broker.startupSeconds());
                        figures.putAll(measure(broker, certificates, userPassword));
                    } catch (Exception e) {
                        System.out.printf("%s round %d failed: %s%n", target.label(), round, e);
                        figures.put("failed", 1.0);
                        failed = true;
                    } finally {
                        CompareCommand.deleteTree(dir.resolve("data"));
                    }
                    failed |= figures.entrySet().stream().anyMatch(f -> f.getKey().endsWith("not read back") && f.getValue() > 0);
                    for (Map.Entry<String, Double> figure : figures.entrySet()) {
                    System.out.printf("  %s round %d: %s = %s%n", target.label(), round, figure.getKey(), Comparison.number(figure.getValue()));
                }
                    table.add(target.label(), round, figures);
                }
            }
        } finally {
            CompareCommand.deleteTree(tls);
        }
        String report = report(table, Instant.now().toString());
        Files.createDirectories(out);
        Files.writeString(out.resolve("tls-compare.md"), report, StandardCharsets.UTF_8);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", "tls-compare");
        json.put("jvmFlags", builds.jvmFlags);
        json.put("keyAlgorithm", keyAlgorithm);
        json.put("instances", table.json());
        Files.writeString(out.resolve("tls-compare.json"), Json.write(json), StandardCharsets.UTF_8);
        System.out.println();
        System.out.print(report);
        System.out.println("wrote " + out.resolve("tls-compare.md") + " and tls-compare.json");
        return failed ? 2 : 0;
    }

    String report(RoundTable table, String finishedAt) {
        return String.format("SASL_SSL (TLS + SCRAM-SHA-512) against PLAINTEXT, Apache Kafka 4.3.1 (JDK TLS) and Tributary (ssl.engine %s), "
                + "%s, %d core(s), %d round(s) interleaved, single node each, default broker settings; all brokers: %s; "
                + "kafka-clients in the harness JVM on the same machine (JDK TLS on the client side). Certificates: %s, made for "
                + "the run. Produce: one producer, acks=1, linger 5 ms, batch 64 KiB, %d B records, %d partitions, %d s warm-up + "
                + "%d s measured; consume: one consumer reading it back from offset 0; new connections: one at a time, %d s "
                + "uncounted then %d s (at most %d), each connect + TLS + SCRAM + one ApiVersions + close. The SASL_SSL / PLAINTEXT rows are the "
                + "cost of security on each broker; the ratio columns compare each Tributary engine with Kafka per round.%n%n",
            String.join(" and ", engines), finishedAt, Runtime.getRuntime().availableProcessors(), rounds, builds.jvmFlags,
            keyAlgorithm.equals("RSA") ? "RSA 2048" : "EC P-256", recordSize, partitions, warmupSeconds, durationSeconds,
            handshakeWarmupSeconds, handshakeSeconds, handshakeMax) + table.markdown();
    }

    /** The client settings of {@code protocol} on {@code broker}: PLAINTEXT, or SASL_SSL as the SCRAM user. */
    static Map<String, Object> clientSettings(String protocol, String bootstrap, BenchCertificates certificates, String userPassword) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        if (protocol.equals(SASL_SSL)) {
            settings.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
            settings.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + USER + "\" password=\"" + userPassword + "\";");
            settings.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
            settings.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certificates.trustStore().toAbsolutePath().toString());
            settings.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, certificates.password());
        }
        return settings;
    }

    private Map<String, Double> measure(BrokerProcess broker, BenchCertificates certificates, String userPassword) throws Exception {
        Map<String, Object> plaintext = clientSettings(PLAINTEXT, broker.bootstrap(), certificates, userPassword);
        Map<String, Object> secure = clientSettings(SASL_SSL, broker.secureBootstrap(), certificates, userPassword);
        try (Admin admin = Admin.create(plaintext)) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), userPassword))).all().get(30, TimeUnit.SECONDS);
        }
        InetSocketAddress secureAddress = address(broker.secureBootstrap());
        awaitLogin(secure, secureAddress);
        ProcessMeter meter = broker.meter();
        Map<String, Double> figures = new LinkedHashMap<>();
        byte[] value = ClientLoad.payload(recordSize);
        for (String protocol : List.of(PLAINTEXT, SASL_SSL)) {
            Map<String, Object> client = protocol.equals(PLAINTEXT) ? plaintext : secure;
            String topic = protocol.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            ClientLoad.createTopic(client, topic, partitions);
            Map<String, Object> producer = new LinkedHashMap<>(client);
            producer.put(ProducerConfig.ACKS_CONFIG, "1");
            producer.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            producer.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
            double cpuBefore = meter.cpuSeconds();
            ClientLoad.Produced produced = ClientLoad.produceFor(producer, topic, value,
                Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(durationSeconds));
            ClientLoad.Consumed consumed = ClientLoad.readAll(client, topic, produced.totalAcked(),
                Duration.ofSeconds(120 + produced.totalAcked() / 10_000));
            double cpu = meter.cpuSeconds() - cpuBefore;
            figures.put(protocol + " produce (records/s)", produced.recordsPerSecond());
            figures.put(protocol + " produce (MB/s)", produced.recordsPerSecond() * recordSize / 1e6);
            figures.put(protocol + " consume (records/s)", consumed.recordsPerSecond());
            figures.put(protocol + " consume (MB/s)", consumed.megabytesPerSecond());
            figures.put(protocol + " broker CPU seconds per GB produced + consumed", cpu / ((produced.totalBytes() + consumed.bytes()) / 1e9));
            figures.put(protocol + " failed sends", (double) produced.failed());
            figures.put(protocol + " acknowledged records not read back", (double) Math.max(0, produced.totalAcked() - consumed.records()));
            System.out.printf("  %s: produce %,.0f records/s, consume %,.0f records/s%n", protocol, produced.recordsPerSecond(),
                consumed.recordsPerSecond());
        }
        for (String protocol : List.of(PLAINTEXT, SASL_SSL)) {
            HandshakeLoop.Result connections = HandshakeLoop.run(protocol.equals(PLAINTEXT) ? plaintext : secure,
                protocol.equals(PLAINTEXT) ? address(broker.bootstrap()) : secureAddress, Duration.ofSeconds(handshakeWarmupSeconds),
                Duration.ofSeconds(handshakeSeconds), handshakeMax, meter);
            figures.put(protocol + " new connections per second", connections.perSecond());
            figures.put(protocol + " new connection p50 (ms)", connections.micros().getValueAtPercentile(50) / 1000.0);
            figures.put(protocol + " new connection p99 (ms)", connections.micros().getValueAtPercentile(99) / 1000.0);
            figures.put(protocol + " broker CPU ms per new connection", connections.brokerCpuMillisPerConnection());
            System.out.printf("  %s: %d new connections in %.1f s (%,.0f/s)%n", protocol, connections.connections(), connections.seconds(),
                connections.perSecond());
        }
        for (String figure : List.of("produce (records/s)", "consume (records/s)", "new connections per second",
            "broker CPU ms per new connection")) {
            double plain = figures.get(PLAINTEXT + " " + figure);
            figures.put("SASL_SSL / PLAINTEXT: " + figure, plain > 0 ? figures.get(SASL_SSL + " " + figure) / plain : Double.NaN);
        }
        figures.put("SASL_SSL / PLAINTEXT: broker CPU per GB", figures.get(SASL_SSL + " broker CPU seconds per GB produced + consumed")
            / figures.get(PLAINTEXT + " broker CPU seconds per GB produced + consumed"));
        return figures;
    }

    /** SCRAM credentials reach the broker's SASL layer after AlterUserScramCredentials returns: log in until one works. */
    static void awaitLogin(Map<String, Object> secure, InetSocketAddress address) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                HandshakeLoop.run(secure, address, Duration.ZERO, Duration.ofSeconds(30), 1, null);
                return;
            } catch (IllegalStateException notYet) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("no SASL_SSL login within 60 s of creating the SCRAM user", notYet);
                }
                // a refused login is answered after connection.failed.authentication.delay.ms: no pause needed here
            }
        }
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static String randomSecret() {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }
}
