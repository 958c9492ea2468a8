package io.tributary.clients.config;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigDefTest {
    private static final ConfigKey<Integer> BATCH = ConfigKey.intKey("batch.size").defaultValue(16384).inRange(0, Integer.MAX_VALUE)
        .documentation("doc").build();
    private static final ConfigKey<String> ACKS = ConfigKey.choiceKey("acks", "all", "-1", "0", "1").defaultValue("all")
        .documentation("doc").build();
    private static final ConfigDefinition DEF = CommonClientConfigs.definition().with(BATCH, ACKS);

    @Test
    void parsesStringsAndTypedValuesAndFillsDefaults() {
        ClientConfig config = ClientConfig.parse(DEF, Map.of("bootstrap.servers", "a:1, b:2", "batch.size", 100, "acks", "ALL",
            "request.timeout.ms", " 5000 "));
        assertThat(config.get(CommonClientConfigs.BOOTSTRAP_SERVERS)).containsExactly("a:1", "b:2");
        assertThat(config.get(BATCH)).isEqualTo(100);
        assertThat(config.get(ACKS)).isEqualTo("all");
        assertThat(config.get(CommonClientConfigs.REQUEST_TIMEOUT_MS)).isEqualTo(5000);
        assertThat(config.get(CommonClientConfigs.RETRY_BACKOFF_MS)).isEqualTo(100L);
        assertThat(config.isSet(BATCH)).isTrue();
        assertThat(config.isSet(CommonClientConfigs.RETRY_BACKOFF_MS)).isFalse();

        Properties props = new Properties();
        props.setProperty("bootstrap.servers", "h:9");
        props.put("batch.size", 7);
        assertThat(ClientConfig.parse(DEF, props).get(BATCH)).isEqualTo(7);
    }

    @Test
    void invalidValuesNameKeyValueAndRange() {
        assertThatThrownBy(() -> ClientConfig.parse(DEF, Map.of("bootstrap.servers", "a:1", "batch.size", "-1")))
            .isInstanceOf(ConfigException.class)
            .hasMessage("Invalid value -1 for configuration batch.size: a whole number in [0, 2147483647]");
        assertThatThrownBy(() -> ClientConfig.parse(DEF, Map.of("bootstrap.servers", "a:1", "batch.size", "lots")))
            .hasMessage("Invalid value lots for configuration batch.size: not a whole number (allowed: a whole number in [0, 2147483647])");
        assertThatThrownBy(() -> ClientConfig.parse(DEF, Map.of("bootstrap.servers", "a:1", "acks", "2")))
            .hasMessage("Invalid value 2 for configuration acks: one of all, -1, 0, 1");
        assertThatThrownBy(() -> ClientConfig.parse(DEF, Map.of("bootstrap.servers", "a:1", "batch.size", 1.5)))
            .hasMessageContaining("batch.size");
        assertThatThrownBy(() -> ClientConfig.parse(DEF, Map.of("bootstrap.servers", "nohost")))
            .isInstanceOf(ConfigException.class)
            .hasMessage("Invalid value nohost for configuration bootstrap.servers: entry 'nohost' is not allowed "
                + "(allowed: a non-empty comma-separated list of host:port pairs)");
        assertThatThrownBy(() -> ClientConfig.parse(DEF, Map.of("bootstrap.servers", "a:70000")))
            .hasMessageContaining("a:70000");
        assertThatThrownBy(() -> ClientConfig.parse(DEF, Map.of()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("Missing required configuration bootstrap.servers");
        assertThatThrownBy(() -> ClientConfig.parse(DEF, Map.of("bootstrap.servers", "a:1", "security.protocol", "TLS")))
            .hasMessage("Invalid value TLS for configuration security.protocol: one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
        assertThat(((ConfigException) catchConfig(() -> ClientConfig.parse(DEF, Map.of("bootstrap.servers", "a:1", "acks", "x")))).key())
            .isEqualTo("acks");
    }

    @Test
    void aClientCanReplaceACommonKeysDefault() {
        ConfigDefinition consumerLike = DEF.with(CommonClientConfigs.RECEIVE_BUFFER_BYTES.withDefault(32_768));
        assertThat(ClientConfig.parse(consumerLike, Map.of("bootstrap.servers", "a:1")).get(consumerLike.keys().stream()
            .filter(k -> k.name().equals("receive.buffer.bytes")).map(k -> (ConfigKey<?>) k).findFirst().orElseThrow()))
            .isEqualTo(32_768);
        assertThat(consumerLike.keys()).hasSize(DEF.keys().size());
    }

    @Test
    void listAndClassKeys() {
        ConfigKey<Class<? extends Runnable>> cls = ConfigKey.classKey("runner", Runnable.class)
        .documentation("doc").build();
        ConfigDefinition def = ConfigDefinition.of(cls, ConfigKey.listKey("names", ConfigKey.ListSyntax.of("names").checkedBy(s -> s)).defaultValue(List.of())
        .documentation("doc").build());
        assertThat(ClientConfig.parse(def, Map.of("runner", Thread.class.getName())).get(cls)).isEqualTo(Thread.class);
        assertThat(ClientConfig.parse(def, Map.of()).get(cls)).isNull();
        assertThatThrownBy(() -> ClientConfig.parse(def, Map.of("runner", "java.lang.String")))
            .hasMessage("Invalid value java.lang.String for configuration runner: a class implementing java.lang.Runnable");
        assertThatThrownBy(() -> ClientConfig.parse(def, Map.of("runner", "no.such.Class")))
            .hasMessageContaining("no.such.Class");
    }

    private static Throwable catchConfig(Runnable r) {
        try {
            r.run();
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("no ConfigException");
    }
}
