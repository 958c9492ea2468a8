package io.tributary.bench.compare;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RoundTableTest {

    private static Map<String, Double> figures(double rate, Double latency) {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("rate (records/s)", rate);
        if (latency != null) {
            figures.put("p99 (ms)", latency);
        }
        return figures;
    }

    @Test
    void everyInstanceIsAColumnAndEveryOtherLabelGetsItsRatioToTheBaselinePerRound() {
        RoundTable table = new RoundTable("kafka");
        table.add("kafka", 1, figures(1000, 10.0));
        table.add("tributary-jdk", 1, figures(1500, 5.0));
        table.add("tributary-openssl", 1, figures(3000, 2.5));
        table.add("kafka", 2, figures(2000, 20.0));
        table.add("tributary-jdk", 2, Map.of("failed", 1.0));
        table.add("tributary-openssl", 2, figures(4000, null));

        assertThat(table.ratios("tributary-jdk", "rate (records/s)")).containsExactly(1.5, Double.NaN);
        assertThat(table.ratios("tributary-openssl", "p99 (ms)")).containsExactly(0.25, Double.NaN);
        assertThat(table.value("kafka", 2, "rate (records/s)")).isEqualTo(2000);
        assertThat(table.value("kafka", 3, "rate (records/s)")).isNull();

        String md = table.markdown();
        assertThat(md).startsWith("| figure | kafka r1 | tributary-jdk r1 | tributary-openssl r1 | kafka r2 | tributary-jdk r2 "
            + "| tributary-openssl r2 | ratio tributary-jdk / kafka per round | ratio tributary-openssl / kafka per round |\n"
            + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
        assertThat(md).contains("| rate (records/s) | 1,000 | 1,500 | 3,000 | 2,000 |  | 4,000 | 1.50 / - | 3.00 / 2.00 |\n")
            .contains("| p99 (ms) | 10.0 | 5.00 | 2.50 | 20.0 |  |  | 0.50 / - | 0.25 / - |\n")
            .contains("| failed |  |  |  |  | 1.00 |  | - / - | - / - |\n");
    }

    @Test
    void theJsonFormKeepsEveryInstanceWithNaNAsNull() {
        RoundTable table = new RoundTable("kafka");
        table.add("kafka", 1, Map.of("ratio", Double.NaN));
        table.add("tributary", 1, Map.of("ratio", 0.5));

        List<Object> json = table.json();
        assertThat(json).hasSize(2);
        Map<String, Object> kafka = tree(json.get(0));
        assertThat(kafka).containsEntry("label", "kafka").containsEntry("round", 1);
        assertThat(tree(kafka.get("figures"))).containsEntry("ratio", null);
        assertThat(tree(tree(json.get(1)).get("figures"))).containsEntry("ratio", 0.5);
        assertThat(io.tributary.bench.report.Json.write(Map.of("instances", json))).contains("\"ratio\": null");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tree(Object node) {
        return (Map<String, Object>) node;
    }
}
