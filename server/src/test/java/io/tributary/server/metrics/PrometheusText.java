package io.tributary.server.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed Prometheus text-format (0.0.4) scrape: every sample line {@code name{label="value",...} number}.
 * Strict on purpose: a line that is neither a comment nor a well-formed sample fails the parse, so a test
 * scraping through it also checks the format. Shared with other modules' tests through the test-jar.
 */
public final class PrometheusText {
    /** One sample. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    /** GETs {@code http://host:port/metrics} and parses it; fails unless the answer is 200 in the text format. */
    public static PrometheusText scrape(String hostPort) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostPort + "/metrics")).timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET /metrics answered " + response.statusCode() + ": " + response.body());
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("text/plain") || !type.contains("version=0.0.4")) {
                throw new AssertionError("GET /metrics answered Content-Type " + type);
            }
            return parse(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            samples.add(parseLine(line));
        }
        return new PrometheusText(samples);
    }

    private static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        if (space < 0) {
            throw new AssertionError("Not a sample line: " + line);
        }
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int close = line.lastIndexOf('}');
            String body = line.substring(brace + 1, close);
            int i = 0;
            while (i < body.length()) {
                int eq = body.indexOf('=', i);
                if (eq < 0 || body.charAt(eq + 1) != '"') {
                    throw new AssertionError("Bad labels in: " + line);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; body.charAt(j) != '"'; j++) {
                    char c = body.charAt(j);
                    if (c == '\\') {
                        c = body.charAt(++j);
                        value.append(c == 'n' ? '\n' : c);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(body.substring(i, eq).trim(), value.toString());
                i = j + 1;
                if (i < body.length() && body.charAt(i) == ',') {
                    i++;
                }
            }
        } else {
            name = line.substring(0, space);
        }
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new AssertionError("Bad metric name in: " + line);
        }
        String number = line.substring(space + 1);
        double value = switch (number) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(number);
        };
        return new Sample(name, labels, value);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Samples named {@code name} whose labels include every pair of {@code labels} (key, value, key, value...). */
    public List<Sample> find(String name, String... labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample sample : samples) {
            if (!sample.name().equals(name)) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                match &= labels[i + 1].equals(sample.labels().get(labels[i]));
            }
            if (match) {
                found.add(sample);
            }
        }
        return found;
    }

    /** The one sample named {@code name} with those labels; fails when there is none or more than one. */
    public double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError("Expected one sample " + name + " " + List.of(labels) + ", found " + found);
        }
        return found.get(0).value();
    }

    /** The sum over every sample named {@code name} with those labels (0 when none). */
    public double sum(String name, String... labels) {
        return find(name, labels).stream().mapToDouble(Sample::value).sum();
    }
}
