package io.tributary.bench.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of broker instances run in interleaved rounds (Kafka, Tributary, Kafka, Tributary, ...), every round kept:
 * a Markdown table with one column per instance in the order they ran, then for each label other than the baseline
 * the ratio label / baseline of every round ("2.18 / 3.90"). A figure an instance did not produce (it failed, or the
 * figure does not apply) is an empty cell; a ratio without both values is "-".
 */
public final class RoundTable {
    /** One broker instance's figures by name, in the order they were taken. */
    public record Instance(String label, int round, Map<String, Double> figures) {
        public Instance {
            figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        }
    }

    private final String baseline;
    private final List<Instance> instances = new ArrayList<>();

    /** @param baseline the label the others are divided by, e.g. "kafka" */
    public RoundTable(String baseline) {
        this.baseline = baseline;
    }

    public void add(String label, int round, Map<String, Double> figures) {
        instances.add(new Instance(label, round, figures));
    }

    public List<Instance> instances() {
        return List.copyOf(instances);
    }

    /** {@code label}'s figure in {@code round}, or null. */
    public Double value(String label, int round, String figure) {
        return instances.stream().filter(i -> i.label().equals(label) && i.round() == round).findFirst()
            .map(i -> i.figures().get(figure)).orElse(null);
    }

    /** label / baseline of {@code figure} in every round, in round order; NaN where either value is missing or 0. */
    public List<Double> ratios(String label, String figure) {
        List<Double> ratios = new ArrayList<>();
        for (int round : rounds()) {
            Double top = value(label, round, figure);
            Double bottom = value(baseline, round, figure);
            ratios.add(top != null && bottom != null && bottom != 0 && !top.isNaN() && !bottom.isNaN() ? top / bottom : Double.NaN);
        }
        return ratios;
    }

    public String markdown() {
        List<String> figures = new ArrayList<>();
        instances.forEach(i -> i.figures().keySet().forEach(name -> {
            if (!figures.contains(name)) {
                figures.add(name);
            }
        }));
        List<String> others = labels().stream().filter(l -> !l.equals(baseline)).toList();
        StringBuilder md = new StringBuilder("| figure |");
        instances.forEach(i -> md.append(' ').append(i.label()).append(" r").append(i.round()).append(" |"));
        others.forEach(l -> md.append(" ratio ").append(l).append(" / ").append(baseline).append(" per round |"));
        md.append("\n| --- |").append(" ---: |".repeat(instances.size())).append(" --- |".repeat(others.size())).append('\n');
        for (String figure : figures) {
            md.append("| ").append(figure).append(" |");
            for (Instance i : instances) {
                Double v = i.figures().get(figure);
                md.append(' ').append(v == null ? "" : Comparison.number(v)).append(" |");
            }
            for (String label : others) {
                md.append(' ').append(String.join(" / ", ratios(label, figure).stream()
                    .map(x -> x.isNaN() ? "-" : String.format(Locale.ROOT, "%.2f", x)).toList())).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** The instances as JSON-ready trees: label, round, figures (NaN as null). */
    public List<Object> json() {
        List<Object> tree = new ArrayList<>();
        for (Instance i : instances) {
            Map<String, Object> figures = new LinkedHashMap<>();
            i.figures().forEach((name, v) -> figures.put(name, v == null || v.isNaN() ? null : v));
            Map<String, Object> instance = new LinkedHashMap<>();
            instance.put("label", i.label());
            instance.put("round", i.round());
            instance.put("figures", figures);
            tree.add(instance);
        }
        return tree;
    }

    private List<String> labels() {
        List<String> labels = new ArrayList<>();
        instances.forEach(i -> {
            if (!labels.contains(i.label())) {
                labels.add(i.label());
            }
        });
        return labels;
    }

    private List<Integer> rounds() {
        return instances.stream().map(Instance::round).distinct().sorted().toList();
    }
}
