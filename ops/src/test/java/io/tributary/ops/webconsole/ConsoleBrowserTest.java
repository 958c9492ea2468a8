package io.tributary.ops.webconsole;

import io.tributary.clients.admin.ConfigResource;
import io.tributary.clients.admin.NewTopic;
import io.tributary.clients.admin.TributaryAdmin;
import io.tributary.clients.consumer.TributaryConsumer;
import io.tributary.clients.producer.ProducerRecord;
import io.tributary.clients.producer.TributaryProducer;
import io.tributary.clients.serialization.StringDeserializer;
import io.tributary.clients.serialization.StringSerializer;
import io.tributary.console.ConsoleServer;
import io.tributary.console.ConsoleSettings;
import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium (Debian's chromium and chromium-driver), driven by Selenium, against an
 * in-process broker: one browser and one broker for the class, every wait bounded. The console runs with the
 * broker's counters, as inside the broker, sampling every 500 ms so charts move within seconds. Each test saves a
 * screenshot under target/console-screenshots.
 */
class ConsoleBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private static BrokerFixture fixture;
    private static TributaryAdmin admin;
    private static ConsoleServer console;
    private static WebDriver browser;
    private static HeadlessChromium chromium;
    private static String base;
    private static Path bindings;

    @BeforeAll
    static void start() throws IOException {
        HeadlessChromium.assumeInstalled();
        fixture = new BrokerFixture(Map.of("group.initial.rebalance.delay.ms", "0"));
        admin = TributaryAdmin.create(Map.of("bootstrap.servers", fixture.bootstrap()));
        bindings = Files.createTempFile("console-bindings", ".txt");
        Files.writeString(bindings, "direct payment.created payments\ntopic order.eu.# orders-eu\nfanout audit\n");
        console = ConsoleServer.start(ConsoleSettings.standalone(fixture.bootstrap(), "127.0.0.1", 0, false)
            .inBroker(new ConsoleExtension.Stats(fixture.broker()), null, "test").withSampleInterval(500)
            .withBindingsFiles(List.of(bindings)));
        base = "http://127.0.0.1:" + console.address().getPort();
        chromium = HeadlessChromium.start(WAIT);
        browser = chromium.driver();
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
        if (console != null) {
            console.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (fixture != null) {
            fixture.close();
        }
        if (bindings != null) {
            Files.deleteIfExists(bindings);
        }
    }

    private static <T> T waitFor(String what, Function<WebDriver, T> condition) {
        // Pages refresh their parts every few seconds, so an element found a moment ago may have been replaced.
        return new WebDriverWait(browser, WAIT).withMessage(what).ignoring(StaleElementReferenceException.class).until(condition);
    }

    private static void open(String hash) {
        browser.get(base + "/#" + hash);
        waitFor("the console starts", d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    }

    private static WebElement find(String css) {
        return waitFor(css + " appears", d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    private static void type(String css, String text) {
        WebElement input = find(css);
        input.clear();
        input.sendKeys(text);
    }

    private static void screenshot(TestInfo test) {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(test.getTestMethod().orElseThrow().getName() + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TributaryProducer<String, String> producer() {
        return new TributaryProducer<>(Map.of("bootstrap.servers", fixture.bootstrap(), "linger.ms", 0L),
            new StringSerializer(), new StringSerializer());
    }

    private static TributaryConsumer<String, String> consumer(String group) {
        return new TributaryConsumer<>(Map.of("bootstrap.servers", fixture.bootstrap(), "group.id", group,
            "auto.offset.reset", "earliest", "enable.auto.commit", false), new StringDeserializer(), new StringDeserializer());
    }

    @Test
    void overviewChartsMoveWhileTrafficFlows(TestInfo test) throws Exception {
        admin.await(admin.createTopic(NewTopic.of("traffic", 3)));
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            try (TributaryProducer<String, String> p = producer()) {
                for (int i = 0; writing.get() && i < 100_000; i++) {
                    p.send(new ProducerRecord<>("traffic", "k" + i, "value-" + i));
                    if (i % 50 == 0) {
                        p.flush();
                        LockSupport.parkNanos(20_000_000); // paces the load (about 2,500 records/s), no synchronisation
                    }
                }
            }
        }, "browser-test-load");
        load.start();
        try {
            open("/");
            WebElement chart = find("#chart-messages");
            waitFor("the messages chart has points", d -> Integer.parseInt(orZero(chart.getDomAttribute("data-points"))) >= 2);
            String first = chart.getDomAttribute("data-last");
            waitFor("the messages chart moves on without a reload", d -> !first.equals(chart.getDomAttribute("data-last")));
            assertThat(find("#ov-topics").getText()).isNotEqualTo("0");
            assertThat(find("#ov-size").getText()).doesNotContain("—");
            assertThat(find("#chart-bytes").getDomAttribute("data-points")).isNotEqualTo("0");
            screenshot(test);
        } finally {
            writing.set(false);
            load.join(10_000);
        }
    }

    private static String orZero(String s) {
        return s == null || s.isEmpty() ? "0" : s;
    }

    @Test
    void createATopicFromTheUi(TestInfo test) {
        open("/topics");
        type("#create-name", "made-in-browser");
        type("#create-partitions", "4");
        find("#create-submit").click();
        waitFor("the new topic's page", d -> d.getCurrentUrl().endsWith("#/topics/made-in-browser"));
        assertThat(find("#topic-name").getText()).isEqualTo("made-in-browser");
        waitFor("4 partition rows", d -> d.findElements(By.cssSelector("#partitions tbody tr")).size() == 4);
        assertThat(admin.await(admin.describeTopic("made-in-browser")).partitions()).hasSize(4);
        screenshot(test);
    }

    @Test
    void produceARecordFromTheUiAndFindItByKey(TestInfo test) {
        admin.await(admin.createTopic(NewTopic.of("browsed", 2)));
        try (TributaryProducer<String, String> p = producer()) {
            for (int i = 0; i < 50; i++) {
                p.send(new ProducerRecord<>("browsed", "noise-" + i, "{\"n\":" + i + "}"));
            }
            p.flush();
        }
        open("/topics/browsed/messages");
        type("#produce-key", "needle");
        type("#produce-value", "{\"found\": true}");
        type("#produce-headers", "source=browser");
        find("#produce-submit").click();
        waitFor("the produce result", d -> find("#produce-result").getText().contains("offset"));
        new Select(find("#browse-mode")).selectByValue("earliest");
        new Select(find("#browse-decode")).selectByValue("json");
        type("#filter-key", "needle");
        find("#browse-load").click();
        WebElement row = find("tr.record[data-key='needle']");
        assertThat(row.getText()).contains("\"found\" : true").contains("source=browser");
        waitFor("only the needle is shown", d -> d.findElements(By.cssSelector("tr.record")).size() == 1);
        type("#filter-key", "");
        find("#browse-load").click();
        waitFor("51 records listed", d -> "51".equals(find("#records").getDomAttribute("data-loaded")));
        screenshot(test);
    }

    @Test
    void followALiveTailWhileAProducerWrites(TestInfo test) {
        admin.await(admin.createTopic(NewTopic.of("tail-me", 1)));
        open("/topics/tail-me/messages");
        find("#tail-toggle").click();
        waitFor("the tail is ready", d -> "ready".equals(find("#records").getDomAttribute("data-tail")));
        try (TributaryProducer<String, String> p = producer()) {
            for (int i = 0; i < 5; i++) {
                p.send(new ProducerRecord<>("tail-me", "live-" + i, "tick " + i));
                p.flush();
            }
        }
        waitFor("5 records arrive without a reload", d -> d.findElements(By.cssSelector("tr.record")).size() == 5);
        assertThat(find("tr.record").getDomAttribute("data-key")).isEqualTo("live-4"); // newest on top
        screenshot(test);
        find("#tail-toggle").click();
        waitFor("the tail stops", d -> "false".equals(find("#tail-toggle").getDomAttribute("aria-pressed")));
    }

    @Test
    void groupLagRisesAndFallsThenResetWithPreviewThenExecute(TestInfo test) {
        admin.await(admin.createTopic(NewTopic.of("work", 2)));
        try (TributaryConsumer<String, String> worker = consumer("workers")) {
            worker.subscribe(List.of("work"));
            Await.until("the worker joins", Duration.ofSeconds(30), () -> {
                worker.poll(Duration.ofMillis(100));
                return !worker.assignment().isEmpty();
            });
            worker.commitSync(Map.of(new io.tributary.protocol.TopicPartition("work", 0), new io.tributary.clients.consumer.OffsetAndMetadata(0),
                new io.tributary.protocol.TopicPartition("work", 1), new io.tributary.clients.consumer.OffsetAndMetadata(0)));
            open("/groups/workers");
            waitFor("the group is shown stable", d -> find("#group-state").getText().equals("Stable"));
            try (TributaryProducer<String, String> p = producer()) {
                for (int i = 0; i < 20; i++) {
                    p.send(new ProducerRecord<>("work", "job-" + i, "job " + i));
                }
                p.flush();
            }
            waitFor("the lag rises to 20", d -> find("#group-lag").getText().equals("20"));
            int[] read = {0};
            Await.until("the worker reads the 20 jobs", Duration.ofSeconds(30), () -> {
                read[0] += worker.poll(Duration.ofMillis(100)).count();
                return read[0] >= 20;
            });
            worker.commitSync();
            waitFor("the lag falls to 0", d -> find("#group-lag").getText().equals("0"));
            waitFor("the lag chart has the rise and the fall", d ->
                Integer.parseInt(orZero(find("#chart-lag").getDomAttribute("data-points"))) >= 3);
            screenshot(test);
        }
        waitFor("the group is empty once the worker leaves", d -> find("#group-state").getText().equals("Empty"));
        type("#reset-topic", "work");
        new Select(find("#reset-to")).selectByValue("earliest");
        find("#reset-preview").click();
        waitFor("the preview plan", d -> d.findElements(By.cssSelector("#reset-plan-table tbody tr")).size() == 2);
        assertThat(find("#reset-plan").getText()).contains("Preview");
        assertThat(admin.await(admin.groupLag("workers")).stream().mapToLong(l -> l.lag()).sum()).isZero();
        find("#reset-execute").click();
        find("#reset-done");
        waitFor("the lag is back to 20", d -> find("#group-lag").getText().equals("20"));
        assertThat(admin.await(admin.groupLag("workers")).stream().mapToLong(l -> l.lag()).sum()).isEqualTo(20);
    }

    @Test
    void editAConfigAndSeeAnInvalidValueRefusedInline(TestInfo test) {
        admin.await(admin.createTopic(NewTopic.of("tuned", 1)));
        open("/topics/tuned/configs");
        type("input[data-config='retention.ms']", "86400000");
        find("button[data-config-save='retention.ms']").click();
        waitFor("saved", d -> find("[data-config-status='retention.ms']").getText().equals("saved"));
        assertThat(admin.await(admin.describeConfig(ConfigResource.topic("tuned"))).value("retention.ms")).isEqualTo("86400000");
        type("input[data-config='retention.ms']", "a week");
        find("button[data-config-save='retention.ms']").click();
        WebElement error = waitFor("the inline error", d -> {
            WebElement e = find("[data-config-error='retention.ms']");
            return e.getText().isEmpty() ? null : e;
        });
        assertThat(error.getText()).startsWith("INVALID_CONFIG").contains("retention.ms");
        assertThat(admin.await(admin.describeConfig(ConfigResource.topic("tuned"))).value("retention.ms")).isEqualTo("86400000");
        screenshot(test);
    }

    @Test
    void aTopicsPageChartsItsOwnRates(TestInfo test) throws Exception {
        admin.await(admin.createTopic(NewTopic.of("rated", 2)));
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            try (TributaryProducer<String, String> p = producer()) {
                for (int i = 0; writing.get() && i < 100_000; i++) {
                    p.send(new ProducerRecord<>("rated", "k" + i, "value-" + i));
                    if (i % 50 == 0) {
                        p.flush();
                        LockSupport.parkNanos(20_000_000); // paces the load, no synchronisation
                    }
                }
            }
        }, "browser-test-topic-load");
        load.start();
        try {
            open("/topics/rated");
            WebElement records = find("#chart-topic-records");
            waitFor("the topic's records chart has points", d -> Integer.parseInt(orZero(records.getDomAttribute("data-points"))) >= 2);
            String first = records.getDomAttribute("data-last");
            waitFor("the topic's chart moves on without a reload", d -> !first.equals(records.getDomAttribute("data-last")));
            assertThat(find("#chart-topic-bytes").getDomAttribute("data-points")).isNotEqualTo("0");
            assertThat(find("#chart-topic-records").getText()).contains("Records per second");
            screenshot(test);
        } finally {
            writing.set(false);
            load.join(10_000);
        }
    }

    @Test
    void routingPageShowsFencesBindingsAndReDrivesADeadLetter(TestInfo test) {
        admin.await(admin.createTopic(NewTopic.of("ledger", 2).withConfigs(Map.of("routing.mode", "ordered"))));
        try (TributaryProducer<String, String> p = producer()) {
            for (int i = 0; i < 6; i++) {
                p.send(new ProducerRecord<>("ledger", "account-" + i, "entry " + i));
            }
            p.flush();
        }
        admin.await(admin.addPartitions("ledger", 3));
        admin.await(admin.createTopic(NewTopic.of("payments", 1)));
        admin.await(admin.createTopic(NewTopic.of("payments.DLT", 1)));
        try (TributaryProducer<String, String> p = producer()) {
            for (int i = 0; i < 3; i++) {
                io.tributary.clients.Headers h = new io.tributary.clients.Headers();
                h.add("tributary.dlt.original.topic", "payments".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                h.add("tributary.dlt.original.partition", "0".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                h.add("tributary.dlt.original.offset", Integer.toString(10 + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                h.add("tributary.dlt.exception.class", "java.lang.IllegalStateException".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                h.add("tributary.dlt.exception.message", ("card declined " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                p.send(new ProducerRecord<>("payments.DLT", 0, null, "payment-" + i, "{\"amount\":" + i + "}", h));
            }
            p.flush();
        }
        open("/routing");
        WebElement ledger = find("#ordered-topics tr[data-topic='ledger']");
        assertThat(ledger.getText()).contains("1: partitions 2..2, after fences");
        assertThat(find("#bindings").getText()).contains("payment.created").contains("order.eu.#").contains("(every send)");
        type("#match-key", "order.eu.created");
        find("#match-submit").click();
        waitFor("the routing key's destinations", d -> find("#match-result").getText().contains("orders-eu, audit"));
        WebElement dlt = find("#dead-letter-topics tr[data-dlt='payments.DLT']");
        assertThat(dlt.getText()).contains("payments.DLT").contains("payments").contains("3");
        dlt.findElement(By.linkText("payments.DLT")).click();
        waitFor("three dead letters", d -> d.findElements(By.cssSelector("tr.dead-letter")).size() == 3);
        WebElement one = find("tr.dead-letter[data-key='payment-1']");
        assertThat(one.getText()).contains("card declined 1").contains("payments 0@11");
        assertThat(find("#redrive-submit").isEnabled()).isFalse();
        one.findElement(By.cssSelector("input[type=checkbox]")).click();
        find("#redrive-submit").click();
        waitFor("the re-drive result", d -> find("#redrive-result").getText().startsWith("Re-drove 1 record(s)"));
        assertThat(find("#redrive-result").getText()).contains("0@1 → payments-0@0");
        assertThat(admin.await(admin.listOffsets("payments", io.tributary.clients.admin.OffsetSpec.latest())).values().stream()
            .mapToLong(o -> o.offset()).sum()).isEqualTo(1);
        screenshot(test);
    }

    @Test
    void aConsoleWithALoginAsksForItAndShowsThePrincipal(TestInfo test) throws IOException {
        Path users = Files.createTempFile("console-users", ".properties");
        Files.writeString(users, "alice=alice-secret\n");
        try (ConsoleServer guarded = ConsoleServer.start(ConsoleSettings.standalone(fixture.bootstrap(), "127.0.0.1", 0, false)
                 .withLogin(io.tributary.console.auth.UserListLogin.of(users)))) {
            browser.get("http://127.0.0.1:" + guarded.address().getPort() + "/#/topics");
            waitFor("the console starts", d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
            type("#login-user", "alice");
            type("#login-password", "wrong");
            find("#login-submit").click();
            waitFor("the refusal is shown", d -> find("#login-error").getText().startsWith("SASL_AUTHENTICATION_FAILED"));
            assertThat(browser.findElements(By.cssSelector("#topics"))).isEmpty();
            type("#login-password", "alice-secret");
            find("#login-submit").click();
            waitFor("the topic list after login", d -> !d.findElements(By.cssSelector("#topics")).isEmpty());
            assertThat(find("#principal").getText()).isEqualTo("User:alice");
            screenshot(test);
            find("#logout").click();
            find("#login-user");
            assertThat(browser.findElement(By.id("principal")).getText()).isEmpty();
        } finally {
            Files.deleteIfExists(users);
        }
    }

    @Test
    void laptopAndWideScreensNeedNoSidewaysScrollingAndTheKeyboardIsEnough(TestInfo test) {
        admin.await(admin.createTopic(NewTopic.of("screens", 2)));
        try (TributaryProducer<String, String> p = producer()) {
            p.send(new ProducerRecord<>("screens", "a-key-" + "k".repeat(60), "{\"long\":\"" + "v".repeat(400) + "\"}"));
            p.flush();
        }
        JavascriptExecutor js = (JavascriptExecutor) browser;
        try {
            for (Dimension size : List.of(new Dimension(1280, 720), new Dimension(1920, 1080))) {
                browser.manage().window().setSize(size);
                for (String page : List.of("/", "/topics", "/topics/screens", "/topics/screens/configs", "/topics/screens/messages",
                    "/groups", "/routing")) {
                    open(page);
                    waitFor(page + " is shown", d -> !d.findElement(By.id("main")).getText().startsWith("Loading"));
                    if (page.endsWith("messages")) {
                        waitFor("the record is listed", d -> "1".equals(find("#records").getDomAttribute("data-loaded")));
                    }
                    Number sideways = (Number) js.executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
                    assertThat(sideways.longValue()).as(page + " at " + size + " scrolls sideways by").isLessThanOrEqualTo(0);
                }
            }
            screenshot(test);
            browser.manage().window().setSize(new Dimension(1440, 1000));
            // keyboard only: a page puts the focus on its content; backwards from there is the main navigation
            open("/");
            find("#ov-topics");
            waitFor("the focus is on the page's content", d -> "main".equals(d.switchTo().activeElement().getDomAttribute("id")));
            browser.switchTo().activeElement().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
            assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Routing");
            browser.switchTo().activeElement().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
            browser.switchTo().activeElement().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
            assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Topics");
            browser.switchTo().activeElement().sendKeys(Keys.ENTER);
            waitFor("the topic list", d -> d.getCurrentUrl().endsWith("#/topics") && !d.findElements(By.cssSelector("#topics")).isEmpty());
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
            assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("topic-search");
            browser.switchTo().activeElement().sendKeys("screens");
            waitFor("only the matching topic", d -> d.findElements(By.cssSelector("#topics tbody tr")).size() == 1);
            assertThat(find("#topics tbody tr").getDomAttribute("data-topic")).isEqualTo("screens");
        } finally {
            browser.manage().window().setSize(new Dimension(1440, 1000));
        }
    }
}
