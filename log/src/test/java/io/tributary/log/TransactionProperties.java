package io.tributary.log;

import io.tributary.log.txn.AbortedTxn;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.EndTransactionMarker.ControlType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a model of open transactions: under any mix of plain batches, transactional batches of three
 * producers, commits, aborts, rolls, truncations and restarts (clean, or a crash with every snapshot lost), the
 * last stable offset is the first offset of the oldest open transaction (else the log end), and the
 * aborted-transaction index holds exactly the aborts whose markers are in the log.
 */
class TransactionProperties {
    private static final long T = 1_700_000_000_000L;

    /** The model: per producer its open transaction's first offset and next sequence; the aborts so far. */
    private static final class Model {
        final Map<Long, Long> openFirst = new HashMap<>();
        final Map<Long, Integer> nextSequence = new HashMap<>();
        final List<AbortedTxn> aborts = new ArrayList<>();

        long lastStable(long end) {
            return openFirst.values().stream().mapToLong(Long::longValue).min().orElse(end);
        }
    }

    @Property(tries = 60)
    void theLastStableOffsetAndTheAbortIndexFollowTheModel(@ForAll @IntRange(min = 1, max = 80) int steps,
                                                          @ForAll long seed) {
        Path dir = TempDirs.create();
        ManualClock clock = new ManualClock(T);
        LogConfig config = LogTestSupport.config(Map.of("segment.bytes", "600"));
        PartitionLog log = LogTestSupport.open(dir, config, clock);
        Random random = new Random(seed);
        Model model = new Model();
        // Every state of the model by log end offset, to go back to on truncation.
        TreeMap<Long, Model> history = new TreeMap<>();
        history.put(0L, copy(model));
        try {
            for (int step = 0; step < steps; step++) {
                int action = random.nextInt(10);
                long producer = random.nextInt(3);
                if (action < 2) {
                    TransactionalBatches.appendAsLeader(log, TransactionalBatches.plain(1 + random.nextInt(3), T));
                } else if (action < 6) {
                    int sequence = model.nextSequence.getOrDefault(producer, 0);
                    int count = 1 + random.nextInt(3);
                    long first = TransactionalBatches.appendAsLeader(log,
                        TransactionalBatches.batch(producer, (short) 0, sequence, count, true, T));
                    model.nextSequence.put(producer, sequence + count);
                    model.openFirst.putIfAbsent(producer, first);
                } else if (action < 8) {
                    ControlType type = random.nextBoolean() ? ControlType.COMMIT : ControlType.ABORT;
                    MarkerAppend appended = log.appendTransactionMarker(producer, (short) 0, new EndTransactionMarker(type, 0), 0);
                    long offset = appended.appended().result().firstOffset();
                    Long first = model.openFirst.remove(producer);
                    if (first != null && type == ControlType.ABORT) {
                        model.aborts.add(new AbortedTxn(producer, first, offset, Math.min(model.lastStable(offset + 1), offset + 1)));
                    }
                } else if (action == 8) {
                    if (random.nextBoolean()) {
                        log.close();
                        log = LogTestSupport.open(dir, config, clock);
                    } else {
                        log.flush();
                        log.close();
                        TransactionLogTest.deleteSnapshots(dir);
                        log = LogTestSupport.reopenUnclean(dir, config, clock, 0);
                    }
                } else {
                    Long to = history.floorKey(history.lastKey() - random.nextInt(10));
                    log.truncateTo(to == null ? 0 : to);
                    Model back = copy(history.floorEntry(log.logEndOffset()).getValue());
                    model.openFirst.clear();
                    model.openFirst.putAll(back.openFirst);
                    model.nextSequence.clear();
                    model.nextSequence.putAll(back.nextSequence);
                    model.aborts.clear();
                    model.aborts.addAll(back.aborts);
                    history.tailMap(log.logEndOffset(), false).clear();
                }
                long end = log.logEndOffset();
                history.put(end, copy(model));
                assertThat(log.lastStableOffset()).as("step %d: LSO", step).isEqualTo(model.lastStable(end));
                assertThat(log.collectAbortedTransactions(0, end)).as("step %d: aborts", step).isEqualTo(model.aborts);
            }
        } finally {
            log.close();
            TempDirs.delete(dir);
        }
    }

    private static Model copy(Model model) {
        Model copy = new Model();
        copy.openFirst.putAll(model.openFirst);
        copy.nextSequence.putAll(model.nextSequence);
        copy.aborts.addAll(model.aborts);
        return copy;
    }
}
