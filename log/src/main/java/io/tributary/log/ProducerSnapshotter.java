package io.tributary.log;

import java.util.concurrent.Executor;

/**
 * Writes the producer snapshot each roll takes ({@link PartitionLog#writeRollSnapshot}), on the background
 * executor, when it hears the rolled event: the roll captures the state under the write lock, this listener
 * moves the file write (an fsync and a rename) off the appending thread.
 *
 * <p>Design note: on a {@link LogManager} the executor is the single maintenance thread, where the roll queued the
 * fsync of the sealed segment before the event was published; so the snapshot is written after the data it
 * describes is durable. Every {@link LogListeners} made by {@link LogListeners#withProducerSnapshots} starts with
 * one, so a log opened on its own snapshots at roll as well.
 */
final class ProducerSnapshotter implements LogListener {
    private final Executor background;

    ProducerSnapshotter(Executor background) {
        this.background = background;
    }

    @Override
    public void rolled(PartitionLog log, long baseOffset) {
        background.execute(log::writeRollSnapshot);
    }

    @Override
    public String toString() {
        return "ProducerSnapshotter";
    }
}
