package io.tributary.metadata.quorum;

import io.tributary.protocol.ErrorCode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The controller's answer to a {@link ControllerRequest}: an error code (NONE when accepted) with a message, and
 * for an accepted request the log index of the batch that carried it, so the requester can wait until its own image
 * has applied that index and read the outcome there. {@code value} carries what the image does not: the new broker
 * epoch (Register), the first producer id of the block (ProducerIds), fenced/shutdown-ready bits (Heartbeat: 1 =
 * fenced, 2 = may shut down), the leader known (NOT_CONTROLLER).
 *
 * <pre>reply := error:int16 message:string value:int64 logIndex:int64 topicId:uuid|absent</pre>
 *
 * @param logIndex -1 when nothing was written
 * @param topicId  the created topic's id (CreateTopic), else null
 */
public record ControllerReply(ErrorCode error, String message, long value, long logIndex, UUID topicId) {
    public static ControllerReply refused(ErrorCode error, String message) {
        return new ControllerReply(error, message, -1, -1, null);
    }

    public boolean accepted() {
        return error == ErrorCode.NONE;
    }

    byte[] encode() {
        byte[] text = message == null ? null : message.getBytes(StandardCharsets.UTF_8);
        int textLength = text == null ? 0 : Math.min(text.length, Short.MAX_VALUE);
        ByteBuffer out = ByteBuffer.allocate(2 + 2 + textLength + 8 + 8 + 1 + 16);
        out.putShort(error.code());
        out.putShort((short) (text == null ? -1 : textLength));
        if (text != null) {
            out.put(text, 0, textLength);
        }
        out.putLong(value).putLong(logIndex);
        out.put((byte) (topicId == null ? 0 : 1));
        if (topicId != null) {
            out.putLong(topicId.getMostSignificantBits()).putLong(topicId.getLeastSignificantBits());
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    static ControllerReply decode(ByteBuffer in) {
        ErrorCode error = ErrorCode.forCode(in.getShort());
        int length = in.getShort();
        String message = null;
        if (length >= 0) {
            byte[] text = new byte[length];
            in.get(text);
            message = new String(text, StandardCharsets.UTF_8);
        }
        long value = in.getLong();
        long logIndex = in.getLong();
        UUID topicId = in.get() == 1 ? new UUID(in.getLong(), in.getLong()) : null;
        return new ControllerReply(error, message, value, logIndex, topicId);
    }
}
