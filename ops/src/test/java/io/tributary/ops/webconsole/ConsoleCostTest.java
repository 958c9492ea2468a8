package io.tributary.ops.webconsole;

import io.tributary.clients.admin.NewTopic;
import io.tributary.clients.admin.TributaryAdmin;
import io.tributary.clients.producer.ProducerRecord;
import io.tributary.clients.producer.TributaryProducer;
import io.tributary.clients.serialization.StringSerializer;
import io.tributary.server.BrokerFixture;
import io.tributary.server.config.ServerConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The measurements of the console, run with {@code -Pconsole-measure} (skipped otherwise; about two
 * minutes): the console inside a broker (on its metrics listener, as {@code bin/tributary server} runs it, sampling
 * every 5 s) with a 1,000-partition topic, a topic of 2,000 records and ten small ones; headless Chromium opens
 * the pages. Figures go to stdout and target/console-measurements.txt:
 * <ul>
 * <li>page ready: from navigation until the page shows its data (overview: cards and both charts drawn; the
 *     1,000-partition topic: all rows; the message browser: 500 records listed after Load), median of 5;</li>
 * <li>API latency: 30 sequential calls per endpoint after 3 warm-ups, median and max;</li>
 * <li>the console's cost to the broker: this JVM's CPU time and used heap after a full GC over 30 s with the broker
 *     idle and the console unused, against 30 s with the overview open (refreshing every 5 s). The JVM holds the
 *     broker, the console and this test's idle admin client, as a broker would hold the console.</li>
 * </ul>
 */
class ConsoleCostTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PAGE_RUNS = 5;
    private static final long WINDOW_MS = 30_000;

    private final StringBuilder report = new StringBuilder();

    private void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.println(text);
        report.append(text).append('\n');
    }

    @Test
    void pageLoadApiLatencyAndCostToTheBroker() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("tributary.console.measure"), "run with -Pconsole-measure");
        HeadlessChromium.assumeInstalled();
        try (BrokerFixture fixture = new BrokerFixture(Map.of(ServerConfig.METRICS_LISTENER, "127.0.0.1:0"));
             TributaryAdmin admin = TributaryAdmin.create(Map.of("bootstrap.servers", fixture.bootstrap()))) {
            admin.await(admin.createTopic(NewTopic.of("wide", 1000)));
            admin.await(admin.createTopic(NewTopic.of("browse", 3)));
            for (int i = 0; i < 10; i++) {
                admin.await(admin.createTopic(NewTopic.of("small-" + i, 3)));
            }
            try (TributaryProducer<String, String> p = new TributaryProducer<>(Map.of("bootstrap.servers", fixture.bootstrap()),
                new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 2000; i++) {
                    p.send(new ProducerRecord<>("browse", "key-" + i, "{\"order\":" + i + ",\"note\":\"" + "x".repeat(100) + "\"}"));
                }
                p.flush();
            }
            String base = "http://127.0.0.1:" + fixture.broker().metricsAddress().getPort();

            // ---- cost to the broker: idle first (the console started, nobody looking), then the overview open
            Cost idle = cost(() -> LockSupport.parkNanos(WINDOW_MS * 1_000_000));
            try (HeadlessChromium chromium = HeadlessChromium.start(WAIT)) {
                WebDriver browser = chromium.driver();
                Cost open = cost(() -> {
                    browser.get(base + "/#/");
                    LockSupport.parkNanos(WINDOW_MS * 1_000_000);
                });
                line("Console cost to the broker over %d s (this JVM: broker + console):", WINDOW_MS / 1000);
                line("  idle:           CPU %.2f%% of a core, used heap after GC %.1f MB", idle.cpuPercent, idle.heapMb);
                line("  overview open:  CPU %.2f%% of a core, used heap after GC %.1f MB (+%.1f MB)", open.cpuPercent, open.heapMb,
                    open.heapMb - idle.heapMb);

                // ---- page ready times
                pageTimes(browser, "overview", base + "/#/", d -> {
                    String points = d.findElement(By.id("chart-messages")).getDomAttribute("data-points");
                    return points != null && !d.findElement(By.id("ov-topics")).getText().isEmpty();
                });
                pageTimes(browser, "topic with 1,000 partitions", base + "/#/topics/wide",
                    d -> d.findElements(By.cssSelector("#partitions tbody tr")).size() == 1000);
                List<Long> browse = new ArrayList<>();
                for (int run = 0; run < PAGE_RUNS; run++) {
                    browser.get("about:blank");
                    browser.get(base + "/#/topics/browse/messages");
                    waitFor(browser, d -> "100".equals(d.findElement(By.id("records")).getDomAttribute("data-loaded")));
                    var limit = browser.findElement(By.id("browse-limit"));
                    limit.clear();
                    limit.sendKeys("500");
                    long start = System.nanoTime();
                    browser.findElement(By.id("browse-load")).click();
                    waitFor(browser, d -> "500".equals(d.findElement(By.id("records")).getDomAttribute("data-loaded")));
                    browse.add((System.nanoTime() - start) / 1_000_000);
                }
                line("Page ready, message browser showing 500 records after Load: %s", summary(browse));
            }

            // ---- API latency
            ConsoleHttp http = new ConsoleHttp(base);
            for (String path : List.of("/api/overview", "/api/topics", "/api/topics/wide", "/api/topics/browse/messages?limit=500",
                "/api/groups", "/api/traffic", "/api/routing")) {
                List<Long> times = new ArrayList<>();
                for (int i = 0; i < 33; i++) {
                    long start = System.nanoTime();
                    assertThat(http.get(path).status()).as(path).isEqualTo(200);
                    if (i >= 3) {
                        times.add((System.nanoTime() - start) / 1_000);
                    }
                }
                Collections.sort(times);
                line("API %-40s median %6.1f ms, max %6.1f ms", path, times.get(times.size() / 2) / 1000.0, times.get(times.size() - 1) / 1000.0);
            }
        }
        Path out = Path.of("target", "console-measurements.txt");
        Files.writeString(out, report.toString());
    }

    private void pageTimes(WebDriver browser, String name, String url, Function<WebDriver, Boolean> ready) {
        List<Long> times = new ArrayList<>();
        for (int run = 0; run < PAGE_RUNS; run++) {
            browser.get("about:blank");
            long start = System.nanoTime();
            browser.get(url);
            waitFor(browser, ready);
            times.add((System.nanoTime() - start) / 1_000_000);
        }
        line("Page ready, %s: %s", name, summary(times));
    }

    private static String summary(List<Long> ms) {
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "median %d ms (min %d, max %d, %d runs)", sorted.get(sorted.size() / 2), sorted.get(0),
            sorted.get(sorted.size() - 1), sorted.size());
    }

    private static <T> T waitFor(WebDriver browser, Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
            .ignoring(org.openqa.selenium.NoSuchElementException.class).until(condition);
    }

    private record Cost(double cpuPercent, double heapMb) {
    }

    private static Cost cost(Runnable window) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        window.run();
        long cpu = os.getProcessCpuTime() - cpu0;
        long wall = System.nanoTime() - t0;
        return new Cost(100.0 * cpu / wall, usedHeapAfterGc());
    }

    private static double usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }
}
