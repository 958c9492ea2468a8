package io.tributary.ops.log;

import io.tributary.ops.OperationFailedException;
import io.tributary.ops.Tributary;
import io.tributary.ops.output.Json;
import io.tributary.ops.output.OutputOptions;
import io.tributary.ops.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tributary log verify DIR}: every segment of every partition under a log directory (or of one
 * partition directory) checked for framing, CRC32C, offset order and index sanity. Exit 2 when anything is
 * wrong. Safe on a running broker's directory: it only reads (a segment being appended to may show a torn
 * last batch).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Check every segment under a log directory (or one partition directory): framing, CRCs, offsets, indices.")
public final class LogVerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A log directory (log.dirs) or one partition directory such as data/orders-0.")
    Path dir;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new OperationFailedException("No directory " + dir);
        }
        List<PartitionCheck> checks = new ArrayList<>();
        try {
            for (Path partition : PartitionCheck.partitionDirs(dir)) {
                checks.add(PartitionCheck.of(partition));
            }
        } catch (IOException e) {
            throw new OperationFailedException("Cannot read " + dir + ": " + e.getMessage(), e);
        }
        if (checks.isEmpty()) {
            throw new OperationFailedException(dir + " holds no partition directories (topic-N) and no segment files");
        }
        long problems = checks.stream().mapToLong(c -> c.problems().size()).sum();
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(Json.write(json(checks)));
        } else {
            Table table = new Table("PARTITION", "SEGMENTS", "BATCHES", "RECORDS", "FIRST OFFSET", "NEXT OFFSET", "BYTES", "STATUS");
            for (PartitionCheck c : checks) {
                table.row(c.name(), c.segments(), c.batches(), c.records(), c.firstOffset() < 0 ? null : c.firstOffset(),
                    c.nextOffset() < 0 ? null : c.nextOffset(), c.bytes(),
                    c.problems().isEmpty() ? "ok" : c.problems().size() + " problem(s)");
            }
            table.print(out);
            for (PartitionCheck c : checks) {
                c.problems().forEach(p -> out.println("problem: " + c.name() + "/" + p));
                c.notes().forEach(n -> out.println("note: " + c.name() + "/" + n));
            }
            out.println(checks.size() + " partition(s) checked, " + (problems == 0 ? "no problems found." : problems + " problem(s) found."));
        }
        out.flush();
        return problems == 0 ? Tributary.OK : Tributary.FAILED;
    }

    private static Map<String, Object> json(List<PartitionCheck> checks) {
        List<Object> partitions = new ArrayList<>();
        for (PartitionCheck c : checks) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("partition", c.name());
            p.put("dir", c.dir().toString());
            p.put("segments", c.segments());
            p.put("batches", c.batches());
            p.put("records", c.records());
            p.put("firstOffset", c.firstOffset() < 0 ? null : c.firstOffset());
            p.put("nextOffset", c.nextOffset() < 0 ? null : c.nextOffset());
            p.put("bytes", c.bytes());
            p.put("problems", c.problems());
            p.put("notes", c.notes());
            partitions.add(p);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("partitions", partitions);
        json.put("ok", checks.stream().allMatch(c -> c.problems().isEmpty()));
        return json;
    }
}
