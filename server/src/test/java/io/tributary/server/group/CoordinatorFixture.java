package io.tributary.server.group;

import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.groups.GroupsFixture;
import io.tributary.groups.ManualScheduler;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.ApiSchemas;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.wire.WireWriter;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A coordinator over a real log manager in a temporary directory, driven by a {@link ManualScheduler} and a
 * direct executor, so every call runs to completion on the test thread ({@link GroupsFixture}). Requests go
 * through the broker's {@link GroupCoordinatorAdapter}: they are encoded at the given version and decoded
 * again before the adapter sees them, and responses likewise before the test does, exactly as they would
 * cross the wire (fields a version lacks take their defaults; a response the version cannot carry fails the
 * test).
 */
public final class CoordinatorFixture extends GroupsFixture {
    private CoordinatorFixture(Path dir, boolean ownsDir, GroupCoordinatorConfig config) {
        super(dir, ownsDir, config);
    }

    /** Four offsets partitions and no initial rebalance delay unless overridden; the coordinator is started. */
    public static CoordinatorFixture started(Map<String, String> overrides) {
        CoordinatorFixture f = create(overrides);
        f.coordinator.start().join();
        return f;
    }

    public static CoordinatorFixture create(Map<String, String> overrides) {
        return new CoordinatorFixture(newDirectory("tributary-groups-test"), true, config(overrides));
    }

    @Override
    protected GroupsFixture openAt(Path copy) {
        return new CoordinatorFixture(copy, true, config);
    }

    @Override
    public CoordinatorFixture crashCopy() {
        return (CoordinatorFixture) super.crashCopy();
    }

    /** Sends a request at {@code version}; the future holds the response as the client would decode it. */
    public CompletableFuture<Struct> send(ApiKey api, int version, Struct request) {
        short v = (short) version;
        Struct decoded = roundTrip(ApiSchemas.request(api), request, v);
        GroupCoordinatorAdapter adapter = new GroupCoordinatorAdapter(coordinator); // the coordinator a test may have replaced
        CompletableFuture<Struct> response = switch (api) {
            case FIND_COORDINATOR -> adapter.findCoordinator(decoded, v, new io.tributary.protocol.Node(1, "broker-1", 9092));
            case JOIN_GROUP -> adapter.joinGroup(decoded, v, "client", "/127.0.0.1");
            case SYNC_GROUP -> adapter.syncGroup(decoded, v);
            case HEARTBEAT -> adapter.heartbeat(decoded, v);
            case LEAVE_GROUP -> adapter.leaveGroup(decoded, v);
            case OFFSET_COMMIT -> adapter.offsetCommit(decoded, v);
            case OFFSET_FETCH -> adapter.offsetFetch(decoded, v);
            case DESCRIBE_GROUPS -> adapter.describeGroups(decoded, v);
            case LIST_GROUPS -> adapter.listGroups(decoded, v);
            case DELETE_GROUPS -> adapter.deleteGroups(decoded, v);
            case OFFSET_DELETE -> adapter.offsetDelete(decoded, v);
            default -> throw new IllegalArgumentException("Not a group API: " + api);
        };
        return response.thenApply(body -> roundTrip(ApiSchemas.response(api), body, v));
    }

    /** Sends a request that must be answered at once. */
    public Struct call(ApiKey api, int version, Struct request) {
        CompletableFuture<Struct> response = send(api, version, request);
        if (!response.isDone()) {
            throw new AssertionError(api + " v" + version + " was not answered at once: " + request);
        }
        return response.join();
    }

    static Struct roundTrip(MessageSchema schema, Struct body, short version) {
        int size = schema.sizeOf(body, version);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        schema.write(body, version, new WireWriter(buffer));
        buffer.flip();
        return schema.read(buffer, version);
    }
}
