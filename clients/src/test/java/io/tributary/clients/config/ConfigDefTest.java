package io.tributary.clients.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigDefTest {
    private static final ConfigKey<Integer> BATCH = ConfigKey.ofInt("batch.size", 16384, 0, Integer.MAX_VALUE, "doc");
    private static final ConfigKey<String> ACKS = ConfigKey.ofChoice("acks", "all", "doc", "all", "-1", "0", "1");
    private static final ConfigDef DEF = CommonClientConfigs.definition().with(BATCH, ACKS);

    @Test
    void parsesStringsAndTypedValuesAndFillsDefaults() {
        ClientConfig config = DEF.parse(Map.of("bootstrap.servers", "a:1, b:2", "batch.size", 100, "acks", "ALL",
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
        assertThat(DEF.parse(props).get(BATCH)).isEqualTo(7);
    }

    @Test
    void invalidValuesNameKeyValueAndRange() {
        assertThatThrownBy(() -> DEF.parse(Map.of("bootstrap.servers", "a:1", "batch.size", "-1")))
            .isInstanceOf(ConfigException.class)
            .hasMessage("Invalid value -1 for configuration batch.size: a whole number in [0, 2147483647]");
        assertThatThrownBy(() -> DEF.parse(Map.of("bootstrap.servers", "a:1", "batch.size", "lots")))
            .hasMessage("Invalid value lots for configuration batch.size: a whole number in [0, 2147483647]");
        assertThatThrownBy(() -> DEF.parse(Map.of("bootstrap.servers", "a:1", "acks", "2")))
            .hasMessage("Invalid value 2 for configuration acks: one of all, -1, 0, 1");
        assertThatThrownBy(() -> DEF.parse(Map.of("bootstrap.servers", "a:1", "batch.size", 1.5)))
            .hasMessageContaining("batch.size");
        assertThatThrownBy(() -> DEF.parse(Map.of("bootstrap.servers", "nohost")))
            .isInstanceOf(ConfigException.class)
            .hasMessage("Invalid value nohost for configuration bootstrap.servers: a non-empty comma-separated list of host:port pairs");
        assertThatThrownBy(() -> DEF.parse(Map.of("bootstrap.servers", "a:70000")))
            .hasMessageContaining("a:70000");
        assertThatThrownBy(() -> DEF.parse(Map.of()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("Missing required configuration bootstrap.servers");
        assertThatThrownBy(() -> DEF.parse(Map.of("bootstrap.servers", "a:1", "security.protocol", "SSL")))
            .hasMessage("Invalid value SSL for configuration security.protocol: one of PLAINTEXT");
        assertThat(((ConfigException) catchConfig(() -> DEF.parse(Map.of("bootstrap.servers", "a:1", "acks", "x")))).key())
            .isEqualTo("acks");
    }

    @Test
    void aClientCanReplaceACommonKeysDefault() {
        ConfigDef consumerLike = DEF.with(CommonClientConfigs.RECEIVE_BUFFER_BYTES.withDefault(32_768));
        assertThat(consumerLike.parse(Map.of("bootstrap.servers", "a:1")).get(consumerLike.keys().stream()
            .filter(k -> k.name().equals("receive.buffer.bytes")).map(k -> (ConfigKey<?>) k).findFirst().orElseThrow()))
            .isEqualTo(32_768);
        assertThat(consumerLike.keys()).hasSize(DEF.keys().size());
    }

    @Test
    void listAndClassKeys() {
        ConfigKey<Class<? extends Runnable>> cls = ConfigKey.ofClass("runner", null, Runnable.class, "doc");
        ConfigDef def = new ConfigDef().with(cls, ConfigKey.ofList("names", List.of(), false, "names", s -> s, "doc"));
        assertThat(def.parse(Map.of("runner", Thread.class.getName())).get(cls)).isEqualTo(Thread.class);
        assertThat(def.parse(Map.of()).get(cls)).isNull();
        assertThatThrownBy(() -> def.parse(Map.of("runner", "java.lang.String")))
            .hasMessage("Invalid value java.lang.String for configuration runner: a class implementing java.lang.Runnable");
        assertThatThrownBy(() -> def.parse(Map.of("runner", "no.such.Class")))
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
