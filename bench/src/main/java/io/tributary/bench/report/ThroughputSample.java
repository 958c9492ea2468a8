package io.tributary.bench.report;

/** One second of a run: records and bytes acknowledged and consumed in it, and errors, by its end time. */
public record ThroughputSample(double atSeconds, boolean warmup, long producedRecords, long producedBytes,
                               long consumedRecords, long consumedBytes, long errors) {
}
