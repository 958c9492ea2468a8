package io.tributary.clients.serialization;

import io.tributary.clients.errors.SerializationException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Our built-in serializers write Kafka's bytes and read them back. */
class SerializersMatchKafkaProperties {
    @Property(tries = 200)
    void strings(@ForAll String s) {
        byte[] ours = new StringSerializer().serialize("t", s);
        assertThat(ours).isEqualTo(new org.apache.kafka.common.serialization.StringSerializer().serialize("t", s));
        assertThat(new StringDeserializer().deserialize("t", null, ByteBuffer.wrap(ours))).isEqualTo(s);
        ByteBuffer direct = ByteBuffer.allocateDirect(ours.length).put(ours).flip();
        assertThat(new StringDeserializer().deserialize("t", null, direct)).isEqualTo(s);
    }

    @Property(tries = 200)
    void numbers(@ForAll int i, @ForAll long l, @ForAll double d) {
        byte[] ib = new IntegerSerializer().serialize("t", i);
        byte[] lb = new LongSerializer().serialize("t", l);
        byte[] db = new DoubleSerializer().serialize("t", d);
        assertThat(ib).isEqualTo(new org.apache.kafka.common.serialization.IntegerSerializer().serialize("t", i));
        assertThat(lb).isEqualTo(new org.apache.kafka.common.serialization.LongSerializer().serialize("t", l));
        assertThat(db).isEqualTo(new org.apache.kafka.common.serialization.DoubleSerializer().serialize("t", d));
        assertThat(new IntegerDeserializer().deserialize("t", ib)).isEqualTo(i);
        assertThat(new LongDeserializer().deserialize("t", lb)).isEqualTo(l);
        assertThat(new DoubleDeserializer().deserialize("t", db)).isEqualTo(d);
    }

    @Test
    void nullsStayNullAndWrongSizesAreNamed() {
        assertThat(new StringSerializer().serialize("t", null)).isNull();
        assertThat(new IntegerDeserializer().deserialize("t", (byte[]) null)).isNull();
        assertThat(new ByteBufferDeserializer().deserialize("t", null, null)).isNull();
        assertThatThrownBy(() -> new LongDeserializer().deserialize("orders", new byte[3]))
            .isInstanceOf(SerializationException.class)
            .hasMessage("A Long is 8 bytes, but a record of topic orders has 3");
        ByteBuffer slice = ByteBuffer.wrap(new byte[] {9, 1, 2, 3}).position(1);
        assertThat(new ByteBufferSerializer().serialize("t", slice)).containsExactly(1, 2, 3);
        assertThat(slice.position()).isEqualTo(1);
    }
}
