package io.tributary.server.security.authz;

import io.tributary.server.BrokerFixture;
import io.tributary.server.RawKafkaConnection;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeTopicPartitionsRequest;
import org.apache.kafka.common.requests.DescribeTopicPartitionsResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.junit.jupiter.api.Timeout;
import java.nio.charset.StandardCharsets;
import io.tributary.server.config.ServerConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ACL authorization against Kafka's own clients over SASL_PLAINTEXT, as different users: {@code admin} is a super user and
 * manages ACLs with Admin.createAcls / describeAcls / deleteAcls the way {@code kafka-acls} does; {@code alice} and
 * {@code bob} get Kafka's authorization errors for what no ACL grants, see only the topics they may describe, and work
 * once granted (a prefixed ACL for a family of topics; a deny beats an allow).
 */
class AclAuthorizationTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
        + " username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\""
        + " user_bob=\"bob-secret\";";

    private static BrokerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put(ServerConfig.LISTENERS, "SASL_PLAINTEXT://127.0.0.1:0");
        settings.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS);
        settings.put("sasl.enabled.mechanisms", "PLAIN");
        settings.put("authorizer.class.name", AuthorizerSettings.KAFKA_STANDARD_AUTHORIZER);
        settings.put("super.users", "User:admin");
        fixture = new BrokerFixture(settings);
        try (Admin admin = Admin.create(client("admin"))) {
            admin.createTopics(List.of(new NewTopic("payments", 1, (short) 1), new NewTopic("orders-eu", 1, (short) 1),
                new NewTopic("orders-us", 1, (short) 1), new NewTopic("ledger", 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @AfterEach
    void dropAcls() throws Exception {
        try (Admin admin = Admin.create(client("admin"))) {
            admin.deleteAcls(List.of(AclBindingFilter.ANY)).all().get(20, TimeUnit.SECONDS);
        }
    }

    private static Properties client(String user) {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + fixture.broker().boundAddresses().get(0).getPort());
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        properties.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        properties.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + user + "\" password=\"" + user + "-secret\";");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return properties;
    }

    private static KafkaProducer<String, String> producer(String user, boolean idempotent) {
        Properties properties = client(user);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, String.valueOf(idempotent));
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        if (!idempotent) {
            properties.put(ProducerConfig.ACKS_CONFIG, "1");
        }
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String user, String group) {
        Properties properties = client(user);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    }

    private static void grant(AclBinding... acls) throws Exception {
        try (Admin admin = Admin.create(client("admin"))) {
            admin.createAcls(List.of(acls)).all().get(20, TimeUnit.SECONDS);
        }
    }

    private static AclBinding acl(ResourceType type, String name, PatternType pattern, String user, AclOperation operation,
                                  AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry("User:" + user, "*", operation, permission));
    }

    private static AclBinding allow(ResourceType type, String name, String user, AclOperation operation) {
        return acl(type, name, PatternType.LITERAL, user, operation, AclPermissionType.ALLOW);
    }

    /** What kafka-acls --add --producer --topic NAME grants: WRITE, DESCRIBE and CREATE on the topic. */
    private static AclBinding[] producerAcls(String topic, PatternType pattern, String user) {
        return new AclBinding[] {acl(ResourceType.TOPIC, topic, pattern, user, AclOperation.WRITE, AclPermissionType.ALLOW),
            acl(ResourceType.TOPIC, topic, pattern, user, AclOperation.DESCRIBE, AclPermissionType.ALLOW),
            acl(ResourceType.TOPIC, topic, pattern, user, AclOperation.CREATE, AclPermissionType.ALLOW)};
    }

    private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    @Test
    void aclsAreCreatedDescribedAndDeletedAsKafkaAclsDoes() throws Exception {
        AclBinding read = allow(ResourceType.TOPIC, "payments", "alice", AclOperation.READ);
        AclBinding prefixed = acl(ResourceType.GROUP, "billing-", PatternType.PREFIXED, "alice", AclOperation.READ, AclPermissionType.ALLOW);
        AclBinding deny = acl(ResourceType.TOPIC, "*", PatternType.LITERAL, "bob", AclOperation.ALL, AclPermissionType.DENY);
        try (Admin admin = Admin.create(client("admin"))) {
            admin.createAcls(List.of(read, prefixed, deny)).all().get(20, TimeUnit.SECONDS);
            assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get(20, TimeUnit.SECONDS))
                .containsExactlyInAnyOrder(read, prefixed, deny);
            // MATCH: what applies to topic "payments": its literal ACL and the wildcard
            Collection<AclBinding> applying = admin.describeAcls(new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC,
                "payments", PatternType.MATCH), AccessControlEntryFilter.ANY)).values().get(20, TimeUnit.SECONDS);
            assertThat(applying).containsExactlyInAnyOrder(read, deny);
            Collection<AclBinding> deleted = admin.deleteAcls(List.of(new AclBindingFilter(new ResourcePatternFilter(ResourceType.ANY,
                null, PatternType.ANY), new AccessControlEntryFilter("User:bob", null, AclOperation.ANY, AclPermissionType.ANY))))
                .all().get(20, TimeUnit.SECONDS);
            assertThat(deleted).containsExactly(deny);
            assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get(20, TimeUnit.SECONDS)).containsExactlyInAnyOrder(read, prefixed);
            // a creation Kafka refuses: the cluster resource has one name
            assertThatThrownBy(() -> admin.createAcls(List.of(allow(ResourceType.CLUSTER, "other", "alice", AclOperation.ALTER)))
                .all().get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(org.apache.kafka.common.errors.InvalidRequestException.class);
        }
        // kept in the first log directory, where a restarted broker reads them
        assertThat(FileAclStore.open(fixture.dataDir()).all()).hasSize(2);
    }

    @Test
    void aPrincipalWithoutAclsGetsKafkasErrorsAndSeesNoTopics() throws Exception {
        try (Admin alice = Admin.create(client("alice"))) {
            assertThat(alice.listTopics().names().get(20, TimeUnit.SECONDS)).isEmpty();
            assertThatThrownBy(() -> alice.createTopics(List.of(new NewTopic("alice-topic", 1, (short) 1))).all().get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> alice.deleteTopics(List.of("payments")).all().get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> alice.describeTopics(List.of("payments")).allTopicNames().get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> alice.createAcls(List.of(allow(ResourceType.TOPIC, "payments", "alice", AclOperation.ALL)))
                .all().get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> alice.describeAcls(AclBindingFilter.ANY).values().get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
            assertThat(alice.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true))
                .authorizedOperations().get(20, TimeUnit.SECONDS)).isEmpty();
        }
        try (Admin admin = Admin.create(client("admin"))) {
            assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).contains("payments", "orders-eu");
        }
        // produce: describable but not writable -> TOPIC_AUTHORIZATION_FAILED from the produce path itself
        grant(allow(ResourceType.TOPIC, "payments", "alice", AclOperation.DESCRIBE));
        try (KafkaProducer<String, String> producer = producer("alice", false)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payments", "k", "v")).get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // fetch without READ, group join without a group ACL
        try (KafkaConsumer<String, String> consumer = consumer("alice", "alice-group")) {
            consumer.assign(List.of(new TopicPartition("payments", 0)));
            consumer.seekToBeginning(List.of(new TopicPartition("payments", 0)));
            assertThatThrownBy(() -> pollUntil(consumer, 1)).isInstanceOf(TopicAuthorizationException.class);
        }
        grant(allow(ResourceType.TOPIC, "payments", "alice", AclOperation.READ));
        try (KafkaConsumer<String, String> consumer = consumer("alice", "alice-group")) {
            consumer.subscribe(List.of("payments"));
            assertThatThrownBy(() -> pollUntil(consumer, 1)).isInstanceOf(GroupAuthorizationException.class);
        }
        // offset commit: group READ granted, topic READ missing on orders-eu
        grant(allow(ResourceType.GROUP, "alice-group", "alice", AclOperation.READ));
        try (KafkaConsumer<String, String> consumer = consumer("alice", "alice-group")) {
            assertThatThrownBy(() -> consumer.commitSync(Map.of(new TopicPartition("orders-eu", 0),
                new org.apache.kafka.clients.consumer.OffsetAndMetadata(0)), Duration.ofSeconds(20)))
                .isInstanceOf(TopicAuthorizationException.class);
        }
        // the idempotent producer's InitProducerId: no WRITE on any topic and no IDEMPOTENT_WRITE
        try (KafkaProducer<String, String> producer = producer("alice", true)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payments", "k", "v")).get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
        }
        assertThat(fixture.broker().logs().log(new io.tributary.protocol.TopicPartition("payments", 0)).logEndOffset()).isZero();
    }

    @Test
    @Timeout(120)
    void describeTopicPartitionsAnswersOnlyWhatThePrincipalMayDescribe() throws Exception {
        grant(allow(ResourceType.TOPIC, "payments", "alice", AclOperation.DESCRIBE));
        try (Admin alice = Admin.create(client("alice"))) {
            Map<String, org.apache.kafka.common.KafkaFuture<TopicDescription>> described = alice.describeTopics(List.of("payments", "ledger"),
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
            assertThat(described.get("payments").get(20, TimeUnit.SECONDS).authorizedOperations()).containsExactly(AclOperation.DESCRIBE);
            assertThatThrownBy(() -> described.get("ledger").get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // the all-topics form, which Admin does not send: raw, authenticated as alice
        try (RawKafkaConnection raw = RawKafkaConnection.open(fixture.broker().boundAddresses().get(0).getPort())) {
            raw.send(new SaslHandshakeRequest.Builder(new SaslHandshakeRequestData().setMechanism("PLAIN")), (short) 1);
            SaslAuthenticateResponse authenticated = raw.send(new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData()
                .setAuthBytes("\0alice\0alice-secret".getBytes(StandardCharsets.UTF_8))), (short) 2);
            assertThat(authenticated.error().code()).isZero();
            // one partition a page: the hidden topics (ledger and orders-* sort before payments) take no room and no cursor
            DescribeTopicPartitionsResponseData all = raw.<DescribeTopicPartitionsResponse>send(new DescribeTopicPartitionsRequest.Builder(
                new DescribeTopicPartitionsRequestData().setResponsePartitionLimit(1)), (short) 0).data();
            assertThat(all.topics()).extracting(DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic::name)
                .containsExactly("payments");
            assertThat(all.nextCursor()).isNull();
            // named: refused whether the topic exists or not (its existence is not disclosed), with the zero id, after the rest
            DescribeTopicPartitionsRequestData named = new DescribeTopicPartitionsRequestData();
            for (String topic : List.of("ledger", "payments", "no-such-topic")) {
                named.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName(topic));
            }
            DescribeTopicPartitionsResponseData answer = raw.<DescribeTopicPartitionsResponse>send(
                new DescribeTopicPartitionsRequest.Builder(named), (short) 0).data();
            assertThat(answer.topics()).extracting(DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic::name)
                .containsExactly("payments", "ledger", "no-such-topic");
            assertThat(answer.topics().find("payments").errorCode()).isZero();
            assertThat(answer.topics().find("payments").partitions()).hasSize(1);
            for (String refused : List.of("ledger", "no-such-topic")) {
                assertThat(answer.topics().find(refused).errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                assertThat(answer.topics().find(refused).topicId()).isEqualTo(Uuid.ZERO_UUID);
                assertThat(answer.topics().find(refused).partitions()).isEmpty();
            }
        }
    }

    @Test
    void grantedPrincipalsProduceAndConsumeAndAPrefixedAclGrantsAFamily() throws Exception {
        grant(producerAcls("orders-", PatternType.PREFIXED, "alice"));
        grant(allow(ResourceType.TOPIC, "orders-", "bob", AclOperation.READ), allow(ResourceType.GROUP, "bob-group", "bob", AclOperation.READ));
        grant(acl(ResourceType.TOPIC, "orders-", PatternType.PREFIXED, "bob", AclOperation.READ, AclPermissionType.ALLOW));
        try (KafkaProducer<String, String> producer = producer("alice", true)) {
            producer.send(new ProducerRecord<>("orders-eu", "k1", "eu")).get(20, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>("orders-us", "k2", "us")).get(20, TimeUnit.SECONDS);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payments", "k", "v")).get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        try (Admin alice = Admin.create(client("alice"))) {
            assertThat(alice.listTopics().names().get(20, TimeUnit.SECONDS)).containsExactlyInAnyOrder("orders-eu", "orders-us");
            // CREATE on the prefix lets alice create a topic of the family, not another one
            alice.createTopics(List.of(new NewTopic("orders-apac", 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
            assertThat(alice.describeTopics(List.of("orders-eu"), new org.apache.kafka.clients.admin.DescribeTopicsOptions()
                .includeAuthorizedOperations(true)).allTopicNames().get(20, TimeUnit.SECONDS).get("orders-eu").authorizedOperations())
                .containsExactlyInAnyOrder(AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE);
        }
        try (KafkaConsumer<String, String> consumer = consumer("bob", "bob-group")) {
            consumer.subscribe(List.of("orders-eu", "orders-us"));
            assertThat(pollUntil(consumer, 2)).extracting(ConsumerRecord::value).containsExactlyInAnyOrder("eu", "us");
            consumer.commitSync(Duration.ofSeconds(20));
            assertThat(consumer.committed(Set.of(new TopicPartition("orders-eu", 0)), Duration.ofSeconds(20))
                .get(new TopicPartition("orders-eu", 0)).offset()).isEqualTo(1);
        }
    }

    @Test
    void aDenyBeatsAnAllowAndSuperUsersPass() throws Exception {
        grant(acl(ResourceType.TOPIC, "*", PatternType.LITERAL, "*", AclOperation.ALL, AclPermissionType.ALLOW),
            acl(ResourceType.TOPIC, "payments", PatternType.LITERAL, "alice", AclOperation.WRITE, AclPermissionType.DENY));
        try (KafkaProducer<String, String> producer = producer("alice", false)) {
            producer.send(new ProducerRecord<>("orders-eu", "k", "allowed")).get(20, TimeUnit.SECONDS);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payments", "k", "denied")).get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // the deny of WRITE does not deny DESCRIBE: alice still sees the topic
        try (Admin alice = Admin.create(client("alice"))) {
            assertThat(alice.listTopics().names().get(20, TimeUnit.SECONDS)).contains("payments");
        }
        grant(acl(ResourceType.TOPIC, "payments", PatternType.LITERAL, "admin", AclOperation.ALL, AclPermissionType.DENY));
        try (KafkaProducer<String, String> producer = producer("admin", true)) {
            producer.send(new ProducerRecord<>("payments", "k", "super")).get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void transactionsNeedWriteOnTheTransactionalIdAndAreListedOnlyToThoseWhoMayDescribeThem() throws Exception {
        grant(producerAcls("ledger", PatternType.LITERAL, "alice"));
        grant(allow(ResourceType.TRANSACTIONAL_ID, "tx-alice", "alice", AclOperation.WRITE));
        Properties transactional = client("alice");
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-alice");
        transactional.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(transactional, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("ledger", "k", "in a transaction")).get(20, TimeUnit.SECONDS);
            producer.commitTransaction();
        }
        try (Admin admin = Admin.create(client("admin"))) {
            assertThat(admin.listTransactions().all().get(20, TimeUnit.SECONDS))
                .extracting(org.apache.kafka.clients.admin.TransactionListing::transactionalId).contains("tx-alice");
        }
        try (Admin bob = Admin.create(client("bob"))) {
            assertThat(bob.listTransactions().all().get(20, TimeUnit.SECONDS)).as("bob may not describe tx-alice").isEmpty();
            assertThatThrownBy(() -> bob.describeTransactions(List.of("tx-alice")).all().get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(org.apache.kafka.common.errors.TransactionalIdAuthorizationException.class);
        }
        Properties bobs = client("bob");
        bobs.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-alice");
        bobs.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(bobs, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(producer::initTransactions)
                .isInstanceOf(org.apache.kafka.common.errors.TransactionalIdAuthorizationException.class);
        }
    }
}
