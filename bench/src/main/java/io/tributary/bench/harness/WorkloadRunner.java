package io.tributary.bench.harness;

import io.tributary.bench.driver.BenchConsumer;
import io.tributary.bench.driver.BenchDriver;
import io.tributary.bench.driver.BenchProducer;
import io.tributary.bench.driver.ProducerSettings;
import io.tributary.bench.report.BacklogRead;
import io.tributary.bench.report.LatencySummary;
import io.tributary.bench.report.RunResult;
import io.tributary.bench.report.ThroughputSample;
import io.tributary.bench.workload.KeyChooser;
import io.tributary.bench.workload.Workload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs one {@link Workload} against one broker through one {@link BenchDriver}: fresh topics, consumers
 * assigned from the first offset, then producers for warm-up plus duration; once a second it samples the
 * counters and harvests the latency histograms (dropping warm-up intervals) and every few seconds prints a
 * progress line. When the producers stop it waits (bounded) until the consumers have everything that was
 * acknowledged, then optionally reads the whole backlog again with new consumers, timed.
 *
 * <p>Every thread it starts and every client it opens is stopped and closed before {@link #run} returns,
 * whether the run succeeded or not.
 */
public final class WorkloadRunner {
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long BACKLOG_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final int PROGRESS_EVERY_SECONDS = 5;

    private final BenchDriver driver;
    private final String target;
    private final Consumer<String> progress;
    private final BenchClock clock = BenchClock.SYSTEM;

    /** @param progress receives a progress line every few seconds and the phase changes */
    public WorkloadRunner(BenchDriver driver, String target, Consumer<String> progress) {
        this.driver = driver;
        this.target = target;
        this.progress = progress;
    }

    public RunResult run(Workload w) throws Exception {
        return run(w, MeasuredWindow.NONE);
    }

    /** Runs {@code w}, telling {@code window} when its measured window opens and closes. */
    public RunResult run(Workload w, MeasuredWindow window) throws Exception {
        String startedAt = Instant.now().toString();
        List<String> topics = new ArrayList<>();
        String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        for (int t = 0; t < w.topics(); t++) {
            topics.add(w.name() + "-" + runId + "-" + t);
            driver.createTopic(topics.get(t), w.partitionsPerTopic());
        }
        RunCounters counters = new RunCounters();
        LatencyRecorder publish = new LatencyRecorder();
        LatencyRecorder endToEnd = new LatencyRecorder();
        AtomicBoolean stopProducers = new AtomicBoolean();
        AtomicBoolean stopConsumers = new AtomicBoolean();
        List<AutoCloseable> clients = new ArrayList<>();
        List<Thread> producerThreads = new ArrayList<>();
        List<Thread> consumerThreads = new ArrayList<>();
        try {
            for (String topic : topics) {
                for (List<Integer> partitions : split(w.partitionsPerTopic(), w.consumersPerTopic())) {
                    BenchConsumer consumer = driver.consumer();
                    clients.add(consumer);
                    consumer.assign(topic, partitions);
                    consumerThreads.add(start("bench-consumer-" + consumerThreads.size(),
                        new ConsumerWorker(consumer, clock, endToEnd, counters, stopConsumers)));
                }
            }
            int producers = w.topics() * w.producersPerTopic();
            long start = clock.nanoTime();
            long warmupEnd = start + w.warmup().toNanos();
            long end = warmupEnd + w.duration().toNanos();
            ProducerSettings settings = new ProducerSettings(w.acks(), w.compression(), w.batchSize(), w.lingerMs());
            Random payloads = new Random(42);
            for (String topic : topics) {
                for (int p = 0; p < w.producersPerTopic(); p++) {
                    int index = producerThreads.size();
                    BenchProducer producer = driver.producer(settings);
                    clients.add(producer);
                    byte[] value = new byte[w.recordSize()];
                    payloads.nextBytes(value);
                    Pacer pacer = w.fixedRate()
                        // Producers share the rate, each starting a fraction of an interval later, so the
                        // total is evenly spread rather than sent in bursts of one per producer.
                        ? Pacer.fixedRate(clock, w.producerRate() / producers, start + (long) (index * 1e9 / w.producerRate()))
                        : Pacer.unbounded(clock);
                    KeyChooser keys = new KeyChooser(w.keyDistribution(), w.keySpace(), w.zipfExponent(), 1000 + index);
                    producerThreads.add(start("bench-producer-" + index,
                        new ProducerWorker(producer, topic, keys, value, pacer, clock, publish, counters, end, stopProducers)));
                }
            }
            progress.accept(String.format("[%s] %s: %d producer(s), %d consumer(s), %s, warm-up %d s, duration %d s",
                w.name(), target, producers, consumerThreads.size(),
                w.fixedRate() ? String.format("%.0f records/s", w.producerRate()) : "max rate",
                w.warmup().toSeconds(), w.duration().toSeconds()));

            List<ThroughputSample> samples = new ArrayList<>();
            RunCounters.Snapshot previous = counters.snapshot();
            RunCounters.Snapshot atWarmupEnd = w.warmup().isZero() ? previous : null;
            if (atWarmupEnd != null) {
                window.opened();
            }
            long tick = start;
            int second = 0;
            while (tick - end < 0) {
                tick = Math.min(tick + 1_000_000_000L, end);
                clock.parkUntil(tick);
                second++;
                boolean warm = tick - warmupEnd <= 0;
                publish.harvest(!warm);
                endToEnd.harvest(!warm);
                RunCounters.Snapshot now = counters.snapshot();
                samples.add(sample((tick - start) / 1e9, warm, previous, now));
                previous = now;
                if (atWarmupEnd == null && tick - warmupEnd >= 0) {
                    atWarmupEnd = now;
                    window.opened();
                }
                if (second % PROGRESS_EVERY_SECONDS == 0) {
                    progress.accept(progressLine(w, (tick - start) / 1e9, samples, publish, endToEnd, now));
                }
            }
            RunCounters.Snapshot atEnd = counters.snapshot();
            List<Map<String, Double>> producerMetrics = new ArrayList<>();
            clients.stream().filter(c -> c instanceof BenchProducer).forEach(c -> producerMetrics.add(((BenchProducer) c).metrics()));
            window.closed(MeasuredWindow.merge(producerMetrics));
            double measured = w.duration().toNanos() / 1e9;

            stopProducers.set(true);
            for (Thread t : producerThreads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            for (AutoCloseable c : clients) {
                if (c instanceof BenchProducer producer) {
                    producer.flush();
                }
            }
            // The producers' tail, acknowledged after the window, still has its latency counted.
            publish.harvest(true);
            long drainDeadline = clock.nanoTime() + DRAIN_TIMEOUT_NANOS;
            while (w.consumersPerTopic() > 0 && counters.received.sum() < counters.acked.sum()
                && clock.nanoTime() - drainDeadline < 0) {
                clock.parkUntil(clock.nanoTime() + 10_000_000);
            }
            endToEnd.harvest(true);
            stopConsumers.set(true);
            stopAll(consumerThreads, clients);
            RunCounters.Snapshot last = counters.snapshot();
            long missing = w.consumersPerTopic() > 0 ? Math.max(0, last.acked() - last.received()) : 0;

            BacklogRead backlog = w.backlogRead() ? readBacklog(w, topics, last.acked()) : null;
            return new RunResult(w.name(), target, driver.name(), w.settings(), startedAt, measured,
                last.sent(), last.acked(), last.ackedBytes(), last.received(), last.receivedBytes(),
                last.errors() + (backlog == null ? 0 : backlog.errors()), last.redelivered(), missing,
                (atEnd.acked() - atWarmupEnd.acked()) / measured,
                (atEnd.ackedBytes() - atWarmupEnd.ackedBytes()) / 1e6 / measured,
                (atEnd.received() - atWarmupEnd.received()) / measured,
                (atEnd.receivedBytes() - atWarmupEnd.receivedBytes()) / 1e6 / measured,
                backlog, LatencySummary.of(publish.total()), LatencySummary.of(endToEnd.total()), samples);
        } finally {
            stopProducers.set(true);
            stopConsumers.set(true);
            stopAll(producerThreads, List.of());
            stopAll(consumerThreads, clients);
            for (AutoCloseable c : clients) {
                closeQuietly(c);
            }
        }
    }

    /** Reads {@code expected} records back from the first offset of every topic; timed from assignment. */
    private BacklogRead readBacklog(Workload w, List<String> topics, long expected) throws InterruptedException {
        progress.accept(String.format("[%s] %s: reading the backlog of %,d records back from the start", w.name(), target, expected));
        RunCounters counters = new RunCounters();
        AtomicBoolean stop = new AtomicBoolean();
        List<AutoCloseable> clients = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = clock.nanoTime();
        try {
            for (String topic : topics) {
                for (List<Integer> partitions : split(w.partitionsPerTopic(), Math.max(1, w.consumersPerTopic()))) {
                    BenchConsumer consumer = driver.consumer();
                    clients.add(consumer);
                    consumer.assign(topic, partitions);
                    threads.add(start("bench-backlog-" + threads.size(), new ConsumerWorker(consumer, clock, null, counters, stop)));
                }
            }
            long deadline = start + BACKLOG_TIMEOUT_NANOS;
            while (counters.received.sum() < expected && clock.nanoTime() - deadline < 0) {
                clock.parkUntil(clock.nanoTime() + 1_000_000);
            }
            double seconds = (clock.nanoTime() - start) / 1e9;
            stop.set(true);
            stopAll(threads, clients);
            RunCounters.Snapshot s = counters.snapshot();
            return new BacklogRead(s.received(), s.receivedBytes(), seconds, s.errors() + Math.max(0, expected - s.received()));
        } finally {
            stop.set(true);
            stopAll(threads, clients);
            clients.forEach(WorkloadRunner::closeQuietly);
        }
    }

    /** Partitions 0..n-1 dealt round-robin to {@code consumers} consumers; none when there are no consumers. */
    static List<List<Integer>> split(int partitions, int consumers) {
        List<List<Integer>> parts = new ArrayList<>();
        for (int c = 0; c < Math.min(consumers, partitions); c++) {
            parts.add(new ArrayList<>());
        }
        for (int p = 0; p < partitions && !parts.isEmpty(); p++) {
            parts.get(p % parts.size()).add(p);
        }
        return parts;
    }

    private static ThroughputSample sample(double at, boolean warmup, RunCounters.Snapshot before, RunCounters.Snapshot now) {
        return new ThroughputSample(at, warmup, now.acked() - before.acked(), now.ackedBytes() - before.ackedBytes(),
            now.received() - before.received(), now.receivedBytes() - before.receivedBytes(), now.errors() - before.errors());
    }

    private static String progressLine(Workload w, double elapsed, List<ThroughputSample> samples,
                                       LatencyRecorder publish, LatencyRecorder endToEnd, RunCounters.Snapshot now) {
        List<ThroughputSample> recent = samples.subList(Math.max(0, samples.size() - PROGRESS_EVERY_SECONDS), samples.size());
        double seconds = recent.size();
        double produced = recent.stream().mapToLong(ThroughputSample::producedRecords).sum() / seconds;
        double producedMb = recent.stream().mapToLong(ThroughputSample::producedBytes).sum() / 1e6 / seconds;
        double consumed = recent.stream().mapToLong(ThroughputSample::consumedRecords).sum() / seconds;
        LatencySummary pub = LatencySummary.of(publish.total());
        LatencySummary e2e = LatencySummary.of(endToEnd.total());
        return String.format("[%s] %5.0f/%d s  produce %,10.0f rec/s %7.1f MB/s  consume %,10.0f rec/s  "
                + "publish p99 %.1f ms  e2e p99 %.1f ms  errors %d%s",
            w.name(), elapsed, w.warmup().plus(w.duration()).toSeconds(), produced, producedMb, consumed,
            pub.p99Ms(), e2e.p99Ms(), now.errors(), elapsed * 1e9 <= w.warmup().toNanos() ? "  (warm-up)" : "");
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Wakes consumers out of their polls and joins the threads, each with a deadline. */
    private static void stopAll(List<Thread> threads, List<AutoCloseable> clients) throws InterruptedException {
        for (AutoCloseable c : clients) {
            if (c instanceof BenchConsumer consumer) {
                consumer.wakeup();
            }
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing after a failed run must not hide the failure that ended it
        }
    }
}
