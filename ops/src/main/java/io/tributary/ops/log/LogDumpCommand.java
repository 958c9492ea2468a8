package io.tributary.ops.log;

import io.tributary.ops.OperationFailedException;
import io.tributary.ops.Tributary;
import io.tributary.ops.output.Json;
import io.tributary.ops.output.OutputOptions;
import io.tributary.ops.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tributary log dump SEGMENT_FILE}: the batches of one segment file (offsets, sizes, codec, timestamps,
 * producer fields, CRC check), optionally their records, and the sanity of its indices. Exit 2 when anything
 * is wrong with the segment, after printing everything.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
    description = "List a segment file's batches with CRC verification, optionally its records, and check its indices.")
public final class LogDumpCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SEGMENT_FILE", description = "A segment file, such as data/orders-0/00000000000000000000.log.")
    Path file;

    @Option(names = "--records", description = "Also print every record (offset, timestamp, key, value, headers as UTF-8).")
    boolean records;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            throw new OperationFailedException("No segment file " + file);
        }
        SegmentDump dump;
        try {
            dump = SegmentDump.of(file, records);
        } catch (IllegalArgumentException e) {
            throw new OperationFailedException(e.getMessage());
        } catch (NoSuchFileException e) {
            throw new OperationFailedException("No segment file " + file);
        } catch (IOException e) {
            throw new OperationFailedException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(Json.write(json(dump)));
        } else {
            print(dump, out);
        }
        out.flush();
        return dump.problems().isEmpty() ? Tributary.OK : Tributary.FAILED;
    }

    private void print(SegmentDump dump, PrintWriter out) {
        out.println("Segment " + dump.file() + ": base offset " + dump.baseOffset() + ", " + dump.fileSize() + " bytes, "
            + dump.batches().size() + " batches, " + dump.recordCount() + " records");
        Table batches = new Table("POSITION", "BASE OFFSET", "LAST OFFSET", "RECORDS", "SIZE", "CODEC", "TIMESTAMP TYPE",
            "MAX TIMESTAMP", "PRODUCER ID", "EPOCH", "BASE SEQ", "FLAGS", "CRC");
        for (SegmentDump.Batch b : dump.batches()) {
            String flags = (b.transactional() ? "txn" : "") + (b.control() ? (b.transactional() ? ",control" : "control") : "");
            batches.row(b.position(), b.baseOffset(), b.lastOffset(), b.recordCount(), b.size(), b.codec(), b.timestampType(),
                b.maxTimestamp(), b.producerId(), b.producerEpoch(), b.baseSequence(), flags.isEmpty() ? "-" : flags,
                b.crcValid() == null ? "unchecked" : b.crcValid() ? "ok" : "FAILED");
        }
        batches.print(out);
        if (records) {
            out.println();
            Table recordTable = new Table("OFFSET", "TIMESTAMP", "KEY", "VALUE", "HEADERS");
            for (SegmentDump.Batch b : dump.batches()) {
                for (SegmentDump.DumpedRecord r : b.records()) {
                    recordTable.row(r.offset(), r.timestamp(), printable(r.key()), printable(r.value()),
                        r.headers().isEmpty() ? "-" : printable(r.headers().toString()));
                }
            }
            recordTable.print(out);
        }
        out.println();
        out.println(indexLine("Offset index", dump.offsetIndex()));
        out.println(indexLine("Time index", dump.timeIndex()));
        if (dump.problems().isEmpty()) {
            out.println("No problems found.");
        } else {
            out.println(dump.problems().size() + " problem(s):");
            dump.problems().forEach(p -> out.println("  " + p));
        }
    }

    private static String indexLine(String what, SegmentDump.IndexSummary index) {
        if (index == null) {
            return what + ": none";
        }
        return what + " " + index.file().getFileName() + ": " + index.entries() + " entries"
            + (index.preallocatedTail() ? ", then preallocated space (active segment, or not closed cleanly)" : "");
    }

    /** Control characters escaped, so a value cannot break the table. */
    static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Map<String, Object> json(SegmentDump dump) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", dump.file().toString());
        json.put("baseOffset", dump.baseOffset());
        json.put("size", dump.fileSize());
        json.put("records", dump.recordCount());
        json.put("batches", dump.batches().stream().map(SegmentDump.Batch::toJson).toList());
        json.put("offsetIndex", indexJson(dump.offsetIndex()));
        json.put("timeIndex", indexJson(dump.timeIndex()));
        json.put("problems", dump.problems());
        return json;
    }

    private static Map<String, Object> indexJson(SegmentDump.IndexSummary index) {
        if (index == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", index.file().toString());
        json.put("entries", index.entries());
        json.put("preallocatedTail", index.preallocatedTail());
        return json;
    }
}
