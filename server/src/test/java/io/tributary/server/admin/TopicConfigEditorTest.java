package io.tributary.server.admin;

import io.tributary.log.InvalidConfigException;
import io.tributary.log.LogManager;
import io.tributary.protocol.ErrorCode;
import io.tributary.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.tributary.server.admin.ConfigChanges.SET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicConfigEditorTest {
    @TempDir
    Path dir;
    LogManager logs;

    private TopicConfigEditor editor() {
        logs = LogManager.open(ServerConfig.of(Map.of("log.dirs", dir.toString())).logManagerConfig(), Clock.systemUTC());
        logs.createTopic("t", 1, Map.of("flush.ms", "100"));
        return new TopicConfigEditor(logs);
    }

    @AfterEach
    void close() {
        if (logs != null) {
            logs.close();
        }
    }

    @Test
    void aChangeIsValidatedAsAWholeAndValidateOnlyWritesNothing() {
        TopicConfigEditor editor = editor();
        editor.edit("t", current -> Map.of("retention.ms", "5"), true);
        assertThat(logs.topic("t").configOverrides()).isEqualTo(Map.of("flush.ms", "100"));
        assertThatThrownBy(() -> editor.edit("t", current -> Map.of("retention.ms", "5", "segment.bytes", "1"), false))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("segment.bytes");
        assertThat(logs.topic("t").configOverrides()).isEqualTo(Map.of("flush.ms", "100"));
        assertThatThrownBy(() -> editor.edit("nope", current -> current, false))
            .isInstanceOfSatisfying(AdminException.class, e -> assertThat(e.error()).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
        editor.edit("t", current -> Map.of("retention.ms", "5"), false);
        assertThat(logs.topic("t").configOverrides()).isEqualTo(Map.of("retention.ms", "5"));
    }

    /**
     * Two writers edit different keys of one topic incrementally. Each publishes the value it has just
     * written; the other must never see it go backwards in the overrides it gets back, which is what a
     * lost update (an edit computed from stale overrides) would look like.
     */
    @Test
    void concurrentIncrementalEditsLoseNoUpdate() throws Exception {
        TopicConfigEditor editor = editor();
        int edits = 40;
        AtomicLong retentionWritten = new AtomicLong();
        AtomicLong segmentWritten = new AtomicLong();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> writeAndCheck(editor, "retention.ms", retentionWritten,
                "segment.ms", segmentWritten, edits), writers);
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> writeAndCheck(editor, "segment.ms", segmentWritten,
                "retention.ms", retentionWritten, edits), writers);
            CompletableFuture.allOf(a, b).get(60, TimeUnit.SECONDS);
        } finally {
            writers.shutdownNow();
        }
        assertThat(logs.topic("t").configOverrides())
            .containsEntry("retention.ms", Integer.toString(edits)).containsEntry("segment.ms", Integer.toString(edits))
            .containsEntry("flush.ms", "100");
    }

    private void writeAndCheck(TopicConfigEditor editor, String mine, AtomicLong myWritten, String theirs, AtomicLong theirWritten,
                               int edits) {
        for (int i = 1; i <= edits; i++) {
            long theirsBefore = theirWritten.get();
            editor.edit("t", ConfigChanges.incremental(List.of(new ConfigChanges.Operation(mine, SET, Integer.toString(i)))), false);
            myWritten.set(i);
            String seen = logs.topic("t").configOverrides().get(theirs);
            long theirsNow = seen == null ? 0 : Long.parseLong(seen);
            assertThat(theirsNow).as("%s after my edit %d of %s", theirs, i, mine).isGreaterThanOrEqualTo(theirsBefore);
        }
    }
}
