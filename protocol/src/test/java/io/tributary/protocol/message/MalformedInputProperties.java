package io.tributary.protocol.message;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.UnsupportedVersionException;
import io.tributary.protocol.message.wire.WireWriter;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Damaged input never escapes as anything but {@link MalformedMessageException}: valid bodies of every API
 * with bytes overwritten, inserted or removed, and request frames whose body is random bytes, either
 * decode (the damage happened to be valid) or fail with it. No BufferUnderflowException,
 * IndexOutOfBoundsException, NegativeArraySizeException or OutOfMemoryError.
 */
class MalformedInputProperties {

    @Provide
    Arbitrary<Sample> anyBody() {
        return Sample.ofAnyApi();
    }

    @Property(tries = 2000)
    void damagedBodiesFailCleanly(@ForAll("anyBody") Sample s, @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int damages) {
        ByteBuffer valid = KafkaOracle.encode(s.schema(), s.body(), s.version());
        byte[] bytes = new byte[valid.remaining()];
        valid.get(bytes);
        Random random = new Random(seed);
        for (int i = 0; i < damages && bytes.length > 0; i++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(4)) {
                case 0 -> bytes[at] = (byte) random.nextInt();
                case 1 -> bytes[at] = (byte) (random.nextBoolean() ? 0xff : 0x7f);
                case 2 -> bytes = splice(bytes, at, new byte[] {(byte) random.nextInt()}, 0);
                default -> bytes = splice(bytes, at, new byte[0], 1);
            }
        }
        ByteBuffer damaged = ByteBuffer.wrap(bytes);
        Throwable t = catchThrowable(() -> s.schema().read(damaged, s.version()));
        if (t != null) {
            assertThat(t).isExactlyInstanceOf(MalformedMessageException.class).hasMessageStartingWith(s.schema().title());
        }
    }

    private static byte[] splice(byte[] bytes, int at, byte[] insert, int remove) {
        int removed = Math.min(remove, bytes.length - at);
        byte[] out = new byte[bytes.length - removed + insert.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(bytes, at + removed, out, at + insert.length, bytes.length - at - removed);
        return out;
    }

    @Property(tries = 2000)
    void randomBodiesBehindAValidHeaderFailCleanly(@ForAll ApiKey api, @ForAll @IntRange(min = 0, max = 20) int versionOffset,
                                                   @ForAll @Size(max = 64) List<Byte> body) {
        short version = (short) (api.minVersion() + versionOffset);
        RequestHeader header = new RequestHeader(api, version, 7, "fuzz");
        ByteBuffer frame = ByteBuffer.allocate(header.sizeInBytes() + body.size());
        header.write(new WireWriter(frame));
        body.forEach(frame::put);
        Throwable t = catchThrowable(() -> Request.read(frame.flip()));
        if (t != null) {
            assertThat(t).isInstanceOfAny(MalformedMessageException.class, UnsupportedVersionException.class);
            if (t instanceof UnsupportedVersionException) {
                assertThat(api.isVersionSupported(version)).isFalse();
            }
        }
    }

    @Property(tries = 1000)
    void randomFramesFailCleanly(@ForAll @Size(max = 48) List<Byte> bytes) {
        ByteBuffer frame = ByteBuffer.allocate(bytes.size());
        bytes.forEach(frame::put);
        Throwable t = catchThrowable(() -> Request.read(frame.flip()));
        if (t != null) {
            assertThat(t).isInstanceOfAny(MalformedMessageException.class, UnsupportedVersionException.class);
        }
    }
}
