package io.tributary.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing of every type, the validators' messages, defaults and formatting. */
class ConfigKeyTest {
    static final ConfigKey<Integer> PARTITIONS = ConfigKey.intKey("num.partitions").defaultValue(1).inRange(1, 100_000)
        .importance(Importance.HIGH).documentation("Partitions.").build();
    static final ConfigKey<Long> RETENTION = ConfigKey.longKey("retention.ms").defaultValue(604_800_000L)
        .inRange(-1, Long.MAX_VALUE).documentation("Retention.").build();
    static final ConfigKey<Double> RATIO = ConfigKey.doubleKey("min.cleanable.dirty.ratio").defaultValue(0.5)
        .validator(Validator.inRange(0.0, 1.0)).documentation("Ratio.").build();
    static final ConfigKey<Boolean> ENABLE = ConfigKey.booleanKey("auto.create.topics.enable").defaultValue(true)
        .documentation("Create.").build();
    static final ConfigKey<String> CLIENT_ID = ConfigKey.stringKey("client.id").defaultValue("").documentation("Id.").build();
    static final ConfigKey<String> OPTIONAL = ConfigKey.stringKey("transactional.id").documentation("Optional.").build();
    static final ConfigKey<String> TIMESTAMP_TYPE = ConfigKey.choiceKey("message.timestamp.type", "CreateTime", "LogAppendTime")
        .defaultValue("CreateTime").documentation("Type.").build();
    static final ConfigKey<List<String>> POLICY = ConfigKey.choiceListKey("cleanup.policy", "compact", "delete")
        .defaultValue(List.of("delete")).documentation("Policy.").build();
    static final ConfigKey<List<String>> BOOTSTRAP = ConfigKey.listKey("bootstrap.servers",
            ConfigKey.ListSyntax.of("host:port pairs").nonEmptyList().checkedBy(s -> {
                if (!s.contains(":")) {
                    throw new IllegalArgumentException();
                }
                return s;
            }))
        .required().documentation("Brokers.").build();
    static final ConfigKey<Class<? extends Runnable>> RUNNER = ConfigKey.classKey("runner", Runnable.class)
        .documentation("Runs.").build();
    static final ConfigKey<String> SECRET = ConfigKey.passwordKey("ssl.key.password").documentation("Secret.").build();
    static final ConfigKey<Integer> MAX_SIZE = ConfigKey.intKey("group.max.size").defaultValue(Integer.MAX_VALUE)
        .validator(Validator.atLeast(1)).documentation("Members.").build();
    static final ConfigKey<Long> MINUTES = ConfigKey.longKey("offsets.retention.minutes").defaultValue(10_080L)
        .validator(Validator.atLeast(1).and(Validator.atMost(Long.MAX_VALUE / 60_000))).documentation("Minutes.").build();

    @Test
    void wholeNumbersParseFromTextOrNumbersAndAreRangeChecked() {
        assertThat(PARTITIONS.parse(" 12 ")).isEqualTo(12);
        assertThat(PARTITIONS.parse(12L)).isEqualTo(12);
        assertThat(PARTITIONS.parse(null)).isEqualTo(1);
        assertThat(RETENTION.parse("-1")).isEqualTo(-1L);
        assertThat(RETENTION.format(RETENTION.parse("0042"))).isEqualTo("42");
        assertThatThrownBy(() -> PARTITIONS.parse("0")).isInstanceOf(ConfigException.class)
            .hasMessage("Invalid value 0 for configuration num.partitions: a whole number in [1, 100000]");
        assertThatThrownBy(() -> PARTITIONS.parse("lots"))
            .hasMessage("Invalid value lots for configuration num.partitions: not a whole number "
                + "(allowed: a whole number in [1, 100000])");
        // beyond the int range: refused with the key's range, not as a parse error
        assertThatThrownBy(() -> PARTITIONS.parse("3000000000"))
            .hasMessage("Invalid value 3000000000 for configuration num.partitions: a whole number in [1, 100000]");
        assertThatThrownBy(() -> RETENTION.parse("1.5")).hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> PARTITIONS.parse(1.5)).hasMessageContaining("not a whole number");
    }

    @Test
    void theRefusalCarriesKeyValueAndProblemAsFields() {
        ConfigException e = (ConfigException) catchThrowable(() -> PARTITIONS.parse(" 0"));
        assertThat(e.key()).isEqualTo("num.partitions");
        assertThat(e.value()).isEqualTo(" 0");
        assertThat(e.problem()).isEqualTo("a whole number in [1, 100000]");
    }

    @Test
    void boundsSayMustBe() {
        assertThatThrownBy(() -> MAX_SIZE.parse("0"))
            .hasMessage("Invalid value 0 for configuration group.max.size: must be at least 1");
        assertThat(MAX_SIZE.allowed()).isEqualTo("at least 1");
        assertThatThrownBy(() -> MINUTES.parse(Long.toString(Long.MAX_VALUE)))
            .hasMessage("Invalid value " + Long.MAX_VALUE + " for configuration offsets.retention.minutes: must be at most "
                + Long.MAX_VALUE / 60_000);
        assertThat(MINUTES.allowed()).isEqualTo("at least 1 and at most " + Long.MAX_VALUE / 60_000);
        assertThat(MAX_SIZE.validate(5)).isEqualTo(5);
        assertThatThrownBy(() -> MAX_SIZE.validate(0)).hasMessage("Invalid value 0 for configuration group.max.size: must be at least 1");
    }

    @Test
    void decimalsArePlainNumbersInRange() {
        assertThat(RATIO.parse("0.50")).isEqualTo(0.5);
        assertThat(RATIO.format(RATIO.parse("1"))).isEqualTo("1.0");
        assertThat(RATIO.parse(".25")).isEqualTo(0.25);
        assertThat(RATIO.parse("5e-1")).isEqualTo(0.5);
        for (String notANumber : new String[] {"NaN", "Infinity", "0x1p-1", "0.5d", "half", ""}) {
            assertThatThrownBy(() -> RATIO.parse(notANumber)).as(notANumber).hasMessageContaining("not a number")
                .hasMessageContaining("[0.0, 1.0]");
        }
        assertThatThrownBy(() -> RATIO.parse("1.01"))
            .hasMessage("Invalid value 1.01 for configuration min.cleanable.dirty.ratio: a number in [0.0, 1.0]");
    }

    @Test
    void booleansStringsAndChoices() {
        assertThat(ENABLE.parse("FALSE")).isFalse();
        assertThat(ENABLE.parse(Boolean.TRUE)).isTrue();
        assertThatThrownBy(() -> ENABLE.parse("maybe"))
            .hasMessage("Invalid value maybe for configuration auto.create.topics.enable: true or false");
        assertThat(CLIENT_ID.parse("  app  ")).isEqualTo("app");
        assertThat(OPTIONAL.parse(null)).isNull();
        assertThat(OPTIONAL.isRequired()).isFalse();
        assertThat(TIMESTAMP_TYPE.parse("logappendtime")).isEqualTo("LogAppendTime");
        assertThatThrownBy(() -> TIMESTAMP_TYPE.parse("Now"))
            .hasMessage("Invalid value Now for configuration message.timestamp.type: one of CreateTime, LogAppendTime");
    }

    @Test
    void listsAreTrimmedCheckedPerEntryAndPrintedWithoutSpaces() {
        assertThat(POLICY.parse(" Compact , DELETE ")).containsExactly("compact", "delete");
        assertThat(POLICY.parse("compact,compact")).containsExactly("compact");
        assertThat(POLICY.format(POLICY.parse("delete, compact"))).isEqualTo("delete,compact");
        assertThat(POLICY.parse(List.of("compact"))).containsExactly("compact");
        assertThatThrownBy(() -> POLICY.parse("compact,shred"))
            .hasMessage("Invalid value compact,shred for configuration cleanup.policy: entry 'shred' is not allowed "
                + "(allowed: a comma-separated list of one or more of compact, delete)");
        assertThatThrownBy(() -> POLICY.parse("")).hasMessageContaining("''");
        assertThatThrownBy(() -> POLICY.parse("compact,")).hasMessageContaining("''");

        assertThat(BOOTSTRAP.parse("a:1, b:2,,")).containsExactly("a:1", "b:2");
        assertThatThrownBy(() -> BOOTSTRAP.parse(null))
            .hasMessage("Missing required configuration bootstrap.servers which has no default value "
                + "(a non-empty comma-separated list of host:port pairs)");
        assertThatThrownBy(() -> BOOTSTRAP.parse(" , ")).hasMessage(
            "Invalid value  ,  for configuration bootstrap.servers: a non-empty comma-separated list of host:port pairs");
        assertThatThrownBy(() -> BOOTSTRAP.parse("nohost")).hasMessageContaining("'nohost'");
    }

    @Test
    void classesByNameOrClassMustImplementTheBase() {
        assertThat(RUNNER.parse(Thread.class.getName())).isEqualTo(Thread.class);
        assertThat(RUNNER.parse(Thread.class)).isEqualTo(Thread.class);
        assertThat(RUNNER.format(Thread.class)).isEqualTo("java.lang.Thread");
        assertThatThrownBy(() -> RUNNER.parse("java.lang.String"))
            .hasMessage("Invalid value java.lang.String for configuration runner: a class implementing java.lang.Runnable");
        assertThatThrownBy(() -> RUNNER.parse("no.such.Class")).hasMessageContaining("no.such.Class")
            .hasMessageContaining("class not found");
    }

    @Test
    void passwordsNeverShow() {
        assertThat(SECRET.parse("hunter2")).isEqualTo("hunter2");
        assertThat(SECRET.format("hunter2")).isEqualTo("[hidden]");
        assertThat(SECRET.type()).isEqualTo(ConfigType.PASSWORD);
    }

    @Test
    void aDefaultOutsideItsOwnRangeFailsWhenDeclared() {
        assertThatThrownBy(() -> ConfigKey.intKey("bad").defaultValue(0).inRange(1, 2).documentation("Bad.").build())
            .isInstanceOf(ConfigException.class).hasMessageContaining("bad");
    }

    @Test
    void withDefaultKeepsTheRestOfTheKey() {
        ConfigKey<Integer> more = PARTITIONS.withDefault(7);
        assertThat(more.parse(null)).isEqualTo(7);
        assertThat(more.allowed()).isEqualTo(PARTITIONS.allowed());
        assertThat(more.documentation()).isEqualTo(PARTITIONS.documentation());
        assertThat(more.importance()).isEqualTo(Importance.HIGH);
        assertThatThrownBy(() -> more.parse("0")).hasMessageContaining("[1, 100000]");
        assertThat(ConfigType.LIST.kafkaId).isEqualTo((byte) 7);
    }

    private static Throwable catchThrowable(Callable<?> call) {
        try {
            call.call();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("nothing thrown");
    }
}
