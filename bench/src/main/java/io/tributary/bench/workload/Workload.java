package io.tributary.bench.workload;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * One benchmark workload, read from a small properties file in the spirit of the OpenMessaging Benchmark's
 * workload files. Every key has a default; unknown keys and bad values are refused with the key, the value
 * and the accepted range. {@code producer-rate} is records per second over all producers of the run, or
 * {@code max}: in fixed-rate mode latencies are measured from each record's intended send time.
 * <pre>
 * name = fixed-rate-1k
 * topics = 1
 * partitions-per-topic = 6
 * record-size = 1024
 * key-distribution = zipf        (none | uniform | zipf)
 * key-space = 10000
 * zipf-exponent = 1.0
 * producers-per-topic = 1
 * consumers-per-topic = 1
 * producer-rate = 20000          (records/s, or max)
 * warmup = 5s
 * duration = 30s
 * acks = 1                       (0 | 1 | all)
 * compression = none             (none | gzip | snappy | lz4 | zstd)
 * batch-size = 65536
 * linger-ms = 5
 * backlog-read = true            (after the run, read everything back from the start, timed)
 * </pre>
 */
public record Workload(String name, int topics, int partitionsPerTopic, int recordSize,
                       KeyDistribution keyDistribution, int keySpace, double zipfExponent,
                       int producersPerTopic, int consumersPerTopic, double producerRate,
                       Duration warmup, Duration duration, String acks, String compression,
                       int batchSize, int lingerMs, boolean backlogRead) {

    /** {@link #producerRate} of a run that sends as fast as the clients and the broker allow. */
    public static final double MAX_RATE = 0;

    /** The header each record carries: the producer's intended send time, 8 bytes, big-endian nanoTime. */
    public static final String SEND_TIME_HEADER = "bench.send.nanos";

    private static final Set<String> KEYS = Set.of("name", "topics", "partitions-per-topic", "record-size",
        "key-distribution", "key-space", "zipf-exponent", "producers-per-topic", "consumers-per-topic",
        "producer-rate", "warmup", "duration", "acks", "compression", "batch-size", "linger-ms", "backlog-read");
    private static final Set<String> CODECS = Set.of("none", "gzip", "snappy", "lz4", "zstd");

    public Workload {
        requireRange("topics", topics, 1, 1000);
        requireRange("partitions-per-topic", partitionsPerTopic, 1, 10_000);
        requireRange("record-size", recordSize, 8, 10 * 1024 * 1024);
        requireRange("key-space", keySpace, 1, 10_000_000);
        requireRange("producers-per-topic", producersPerTopic, 0, 100);
        requireRange("consumers-per-topic", consumersPerTopic, 0, 100);
        requireRange("batch-size", batchSize, 1, 64 * 1024 * 1024);
        requireRange("linger-ms", lingerMs, 0, 60_000);
        if (!(zipfExponent > 0) || zipfExponent > 10) {
            throw new IllegalArgumentException("zipf-exponent " + zipfExponent + " must be in (0, 10]");
        }
        if (!(producerRate >= 0) || producerRate > 100_000_000) {
            throw new IllegalArgumentException("producer-rate " + producerRate + " must be max or in (0, 100000000] records/s");
        }
        if (warmup.isNegative() || warmup.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("warmup " + warmup + " must be between 0 and 1 hour");
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("duration " + duration + " must be between 1 second and 24 hours");
        }
        if (!Set.of("0", "1", "all", "-1").contains(acks)) {
            throw new IllegalArgumentException("acks '" + acks + "' is not one of 0, 1, all");
        }
        if (!CODECS.contains(compression)) {
            throw new IllegalArgumentException("compression '" + compression + "' is not one of none, gzip, snappy, lz4, zstd");
        }
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("name '" + name + "' must be 1-100 letters, digits, '.', '_' or '-' (it names topics and files)");
        }
    }

    private static void requireRange(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " " + value + " must be in [" + min + ", " + max + "]");
        }
    }

    public boolean fixedRate() {
        return producerRate != MAX_RATE;
    }

    /** Reads a workload file; the name defaults to the file name without its extension. */
    public static Workload read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key).trim()));
        String fileName = file.getFileName().toString();
        settings.putIfAbsent("name", fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName);
        try {
            return of(settings);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** A workload from key-value settings, defaults for the keys not given. */
    public static Workload of(Map<String, String> settings) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown workload keys " + unknown + "; known: " + new TreeSet<>(KEYS));
        }
        Map<String, String> s = new LinkedHashMap<>(settings);
        String rate = s.getOrDefault("producer-rate", "max");
        return new Workload(
            s.getOrDefault("name", "workload"),
            integer(s, "topics", 1),
            integer(s, "partitions-per-topic", 6),
            integer(s, "record-size", 1024),
            KeyDistribution.forName(s.getOrDefault("key-distribution", "none")),
            integer(s, "key-space", 10_000),
            number(s, "zipf-exponent", 1.0),
            integer(s, "producers-per-topic", 1),
            integer(s, "consumers-per-topic", 1),
            rate.equalsIgnoreCase("max") ? MAX_RATE : number(s, "producer-rate", 0),
            duration(s, "warmup", "5s"),
            duration(s, "duration", "30s"),
            s.getOrDefault("acks", "1"),
            s.getOrDefault("compression", "none"),
            integer(s, "batch-size", 65_536),
            integer(s, "linger-ms", 5),
            bool(s, "backlog-read", false));
    }

    /** The settings that {@link #of} reads back to this workload. */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("topics", Integer.toString(topics));
        s.put("partitions-per-topic", Integer.toString(partitionsPerTopic));
        s.put("record-size", Integer.toString(recordSize));
        s.put("key-distribution", keyDistribution.configName());
        s.put("key-space", Integer.toString(keySpace));
        s.put("zipf-exponent", Double.toString(zipfExponent));
        s.put("producers-per-topic", Integer.toString(producersPerTopic));
        s.put("consumers-per-topic", Integer.toString(consumersPerTopic));
        s.put("producer-rate", fixedRate() ? Double.toString(producerRate) : "max");
        s.put("warmup", warmup.toMillis() + "ms");
        s.put("duration", duration.toMillis() + "ms");
        s.put("acks", acks);
        s.put("compression", compression);
        s.put("batch-size", Integer.toString(batchSize));
        s.put("linger-ms", Integer.toString(lingerMs));
        s.put("backlog-read", Boolean.toString(backlogRead));
        return s;
    }

    private static int integer(Map<String, String> s, String key, int defaultValue) {
        String value = s.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + value + "' is not a whole number");
        }
    }

    private static double number(Map<String, String> s, String key, double defaultValue) {
        String value = s.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + value + "' is not a number");
        }
    }

    private static boolean bool(Map<String, String> s, String key, boolean defaultValue) {
        String value = s.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + " '" + value + "' is not true or false");
        }
        return Boolean.parseBoolean(value);
    }

    /** "500ms", "30s", "2m", "1h", or a bare number of seconds. */
    static Duration duration(Map<String, String> s, String key, String defaultValue) {
        String value = s.getOrDefault(key, defaultValue).trim();
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
            }
            char unit = value.charAt(value.length() - 1);
            String digits = Character.isDigit(unit) ? value : value.substring(0, value.length() - 1).trim();
            long amount = Long.parseLong(digits);
            switch (unit) {
                case 'h': return Duration.ofHours(amount);
                case 'm': return Duration.ofMinutes(amount);
                case 's': return Duration.ofSeconds(amount);
                default:
                    if (Character.isDigit(unit)) {
                        return Duration.ofSeconds(amount);
                    }
                    throw new NumberFormatException();
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " '" + value + "' is not a duration like 500ms, 30s, 2m or 1h");
        }
    }
}
