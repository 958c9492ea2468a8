package io.tributary.metadata.quorum;

import io.tributary.metadata.image.ImageSnapshot;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.RecordCodec;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The Ratis state machine of the metadata quorum: each committed log entry is one batch of records
 * ({@link RecordCodec}), applied to the {@link MetadataImage} in log order on Ratis' single apply thread. The image and
 * the term-index of the last entry in it change together ({@link Applied}), so a snapshot always pairs an image with
 * the index it reflects.
 *
 * <p>Snapshots: {@link ImageSnapshot}'s encoding of the image in Ratis' state-machine directory of the node
 * ({@code <metadata.log.dir>/__cluster_metadata/<group id>/sm/snapshot.<term>_<index>}, with an {@code .md5} beside),
 * written to a temporary file and renamed, so a crash leaves the previous snapshot whole. At start, and when the leader
 * installs a snapshot on a follower that fell behind, the newest snapshot is loaded and Ratis replays the log after it.
 *
 * <p>A batch that fails to decode or breaks an invariant is a bug in the writer: it is logged at ERROR and answered
 * with the exception; the image stays as it was, on every node alike, since every node runs the same code on the same
 * bytes. The leader checks a batch against its image before submitting, so this does not happen in normal operation.
 */
final class MetadataStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

    /** An image and the log position it reflects (null before the first entry or snapshot). */
    record Applied(MetadataImage image, TermIndex termIndex) {
    }

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final List<BiConsumer<MetadataImage, List<MetadataRecord>>> listeners = new CopyOnWriteArrayList<>();
    private volatile Applied applied = new Applied(MetadataImage.EMPTY, null);
    private volatile long restoredSnapshotIndex = RaftLog.INVALID_LOG_INDEX;
    private volatile java.util.function.Function<ControllerRequest, CompletableFuture<ControllerReply>> controller;

    void serveController(java.util.function.Function<ControllerRequest, CompletableFuture<ControllerReply>> handler) {
        this.controller = handler;
    }

    /**
     * A read-only message is a {@link ControllerRequest} from another node for this node's controller (Ratis sends
     * read-only messages to the leader only): nothing in it is written as it is; the controller decides and writes
     * records through the log like any of its own decisions.
     */
    @Override
    public CompletableFuture<Message> query(Message request) {
        var handler = controller;
        CompletableFuture<ControllerReply> reply;
        if (handler == null) {
            reply = CompletableFuture.completedFuture(ControllerReply.refused(
                io.tributary.protocol.ErrorCode.NOT_CONTROLLER, "No controller runs on this node yet"));
        } else {
            try {
                reply = handler.apply(ControllerRequest.decode(request.getContent().asReadOnlyByteBuffer()));
            } catch (RuntimeException e) {
                reply = CompletableFuture.completedFuture(ControllerReply.refused(
                    io.tributary.protocol.ErrorCode.INVALID_REQUEST, e.getMessage()));
            }
        }
        return reply.thenApply(r -> Message.valueOf(
            org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(r.encode())));
    }

    Applied applied() {
        return applied;
    }

    /** The log index of the snapshot this state machine last loaded, or -1. */
    long restoredSnapshotIndex() {
        return restoredSnapshotIndex;
    }

    /** Called on the apply thread after each applied batch, with the new image and the batch. */
    void addListener(BiConsumer<MetadataImage, List<MetadataRecord>> listener) {
        listeners.add(listener);
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            storage.init(raftStorage);
            load(storage.getLatestSnapshot());
        }, IOException.class);
    }

    /**
     * Ratis pauses the state machine before it installs a snapshot the leader sent (a node that fell behind the purged
     * log, or an observer that joined late) and then calls {@link #reinitialize}; it checks the PAUSED state first.
     */
    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** Loads the snapshot just installed (the newest on disk) in place of the image, then runs again. */
    @Override
    public void reinitialize() throws IOException {
        load(storage.loadLatestSnapshot());
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        TermIndex termIndex = TermIndex.valueOf(entry);
        ByteBuffer data = entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
        Applied before = applied;
        List<MetadataRecord> records;
        MetadataImage after;
        try {
            records = RecordCodec.decodeBatch(data);
            after = before.image().apply(records);
        } catch (RuntimeException e) {
            LOG.error("Metadata log entry {} refused; the image stays at {}", termIndex, before.termIndex(), e);
            applied = new Applied(before.image(), termIndex);
            updateLastAppliedTermIndex(termIndex);
            return CompletableFuture.failedFuture(e);
        }
        applied = new Applied(after, termIndex);
        updateLastAppliedTermIndex(termIndex);
        for (BiConsumer<MetadataImage, List<MetadataRecord>> listener : listeners) {
            try {
                listener.accept(after, records);
            } catch (RuntimeException e) {
                LOG.error("A metadata listener failed on entry {}", termIndex, e);
            }
        }
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    /**
     * An entry without records (the leader's first entry of a term, a configuration change) moves the applied position
     * but not the image: a snapshot taken now covers it too, so a restart does not replay it.
     */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        super.notifyTermIndexUpdated(term, index);
        applied = new Applied(applied.image(), TermIndex.valueOf(term, index));
    }

    @Override
    public long takeSnapshot() throws IOException {
        Applied current = applied;
        if (current.termIndex() == null) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        TermIndex last = current.termIndex();
        Path file = storage.getSnapshotFile(last.getTerm(), last.getIndex()).toPath();
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temporary, ImageSnapshot.encode(current.image()));
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file.toFile());
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file, md5), last));
        LOG.info("Metadata snapshot at {} written to {}", last, file);
        return last.getIndex();
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        Path file = snapshot.getFile().getPath();
        MD5Hash md5 = snapshot.getFile().getFileDigest();
        if (md5 != null) {
            MD5FileUtil.verifySavedMD5(file.toFile(), md5);
        }
        TermIndex last = SimpleStateMachineStorage.getTermIndexFromSnapshotFile(file.toFile());
        MetadataImage image;
        try {
            image = ImageSnapshot.decode(Files.readAllBytes(file));
        } catch (RuntimeException e) {
            throw new IOException("Metadata snapshot " + file + " cannot be loaded: " + e.getMessage(), e);
        }
        applied = new Applied(image, last);
        updateLastAppliedTermIndex(last);
        restoredSnapshotIndex = last.getIndex();
        LOG.info("Metadata image restored from snapshot {} at {}", file, last);
        for (BiConsumer<MetadataImage, List<MetadataRecord>> listener : listeners) {
            listener.accept(image, List.of());
        }
    }
}
