package io.tributary.log.cleaner;

/**
 * What one or more cleaning passes over a log did, for logs, metrics and tests.
 *
 * @param passes            passes run (a pass ends when its offset map is full or its dirty range is mapped)
 * @param bytesRead         bytes of segments read, for the offset map and for cleaning
 * @param bytesWritten      bytes of cleaned segments written (groups left unchanged are not counted)
 * @param recordsRead       records decoded while cleaning
 * @param recordsRemoved    records dropped: superseded by a later record of their key, expired tombstones, or
 *                          records without a key
 * @param segmentsReplaced  segments replaced by cleaned ones
 * @param segmentsWritten   cleaned segments swapped in
 * @param cleanedUpTo       the log's first dirty offset afterwards
 * @param dirtyLeft         whether the last pass stopped early, its offset map full, leaving dirty records
 *                          below the first uncleanable offset for another pass
 * @param elapsedNanos      wall time
 */
public record CleanerStats(int passes, long bytesRead, long bytesWritten, long recordsRead, long recordsRemoved,
                           int segmentsReplaced, int segmentsWritten, long cleanedUpTo, boolean dirtyLeft,
                           long elapsedNanos) {
    static final CleanerStats NONE = new CleanerStats(0, 0, 0, 0, 0, 0, 0, -1, false, 0);

    CleanerStats plus(CleanerStats next) {
        return new CleanerStats(passes + next.passes, bytesRead + next.bytesRead, bytesWritten + next.bytesWritten,
            recordsRead + next.recordsRead, recordsRemoved + next.recordsRemoved, segmentsReplaced + next.segmentsReplaced,
            segmentsWritten + next.segmentsWritten, next.cleanedUpTo, next.dirtyLeft, elapsedNanos + next.elapsedNanos);
    }
}
