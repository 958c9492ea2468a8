import java.io.*;
import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.server.util.ThroughputThrottler;

/** ProducerPerformance's fixed-rate loop and EndToEndLatency's round trip, logging every record's wall-clock send time. */
public class TailDriver {
  public static void main(String[] a) throws Exception {
    String mode = a[0], bootstrap = a[1], topic = a[2], out = a[4]; int n = Integer.parseInt(a[3]);
    if (mode.equals("create")) {
      try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, n, (short) 1))).all().get();
      }
      return;
    }
    if (mode.equals("fixed")) fixed(bootstrap, topic, n, out); else e2e(bootstrap, topic, n, out);
  }
  static void fixed(String bootstrap, String topic, int n, String out) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap); p.put("acks", "1"); p.put("linger.ms", "5"); p.put("batch.size", "65536");
    p.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    p.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    p.put("client.id", "perf-producer-client");
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
    long[] sendAt = new long[n]; int[] lat = new int[n]; long[] ackAt = new long[n];
    SplittableRandom rnd = new SplittableRandom(0);
    byte[] payload = new byte[100];
    long startMs = System.currentTimeMillis();
    ThroughputThrottler throttler = new ThroughputThrottler(20000, startMs);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < payload.length; j++) payload[j] = (byte) (rnd.nextInt(26) + 65);
      ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, payload);
      long sendStartMs = System.currentTimeMillis();
      final int idx = i;
      sendAt[i] = sendStartMs;
      producer.send(r, (m, e) -> { long now = System.currentTimeMillis(); ackAt[idx] = now; lat[idx] = (int) (now - sendStartMs); });
      if (i == 0) System.out.println("first send returned after " + (System.currentTimeMillis() - sendStartMs) + " ms; throttler start " + startMs + " first send " + sendStartMs);
      if (throttler.shouldThrottle(i, sendStartMs)) throttler.throttle();
    }
    producer.flush(); producer.close();
    report(sendAt, lat, out);
    try (PrintWriter w = new PrintWriter(new FileWriter(out + ".ack"))) { for (long t : ackAt) w.println(t); }
  }
  static void e2e(String bootstrap, String topic, int n, String out) throws Exception {
    Properties c = new Properties();
    c.put("bootstrap.servers", bootstrap); c.put("group.id", "test-group-" + System.currentTimeMillis());
    c.put("enable.auto.commit", "false"); c.put("auto.offset.reset", "latest"); c.put("fetch.max.wait.ms", "0");
    c.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    c.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c);
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap); p.put("linger.ms", "0"); p.put("max.block.ms", String.valueOf(Long.MAX_VALUE));
    p.put("acks", "1");
    p.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    p.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
    List<TopicPartition> tps = new ArrayList<>();
    consumer.partitionsFor(topic).forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
    consumer.assign(tps); consumer.seekToEnd(tps); tps.forEach(consumer::position);
    long[] sendAt = new long[n]; int[] lat = new int[n]; long total = 0;
    byte[] payload = new byte[100]; Arrays.fill(payload, (byte) 'x');
    for (int i = 0; i < n; i++) {
      sendAt[i] = System.currentTimeMillis();
      long begin = System.nanoTime();
      producer.send(new ProducerRecord<>(topic, payload)).get();
      Iterator<ConsumerRecord<byte[], byte[]>> it = consumer.poll(Duration.ofMillis(60000)).iterator();
      long elapsed = System.nanoTime() - begin;
      if (!it.hasNext()) throw new IllegalStateException("no record at " + i);
      total += elapsed; lat[i] = (int) (elapsed / 1000 / 1000);
    }
    consumer.commitSync();
    System.out.printf("Avg latency: %.4f ms%n", total / (double) n / 1e6);
    producer.close(); consumer.close();
    report(sendAt, lat, out);
  }
  static void report(long[] sendAt, int[] lat, String out) throws IOException {
    int n = lat.length;
    int[] s = lat.clone(); Arrays.sort(s);
    int p50 = s[(int) (n * 0.5)], p95 = s[(int) (n * 0.95)], p99 = s[(int) (n * 0.99)], p999 = s[(int) (n * 0.999)];
    System.out.printf("n=%d p50=%d p95=%d p99=%d p99.9=%d max=%d start=%d%n", n, p50, p95, p99, p999, s[n - 1], sendAt[0]);
    try (PrintWriter w = new PrintWriter(new FileWriter(out))) {
      w.println("# sendEpochMs latencyMs; p99=" + p99 + " p999=" + p999);
      for (int i = 0; i < n; i++) w.println(sendAt[i] + " " + lat[i]);
    }
  }
}
