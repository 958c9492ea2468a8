package io.tributary.server.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Splits the byte stream into Kafka frames: an int32 size, then that many bytes. A size outside
 * [0, socket.request.max.bytes] closes the connection before anything is allocated for it; bytes only
 * accumulate as they actually arrive.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameBytes;
    private final NetworkWarnings warnings;

    FrameDecoder(int maxFrameBytes, NetworkWarnings warnings) {
        this.maxFrameBytes = maxFrameBytes;
        this.warnings = warnings;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int size = in.getInt(in.readerIndex());
            if (size < 0 || size > maxFrameBytes) {
                warnings.warn(CloseReason.FRAME_SIZE, "Closing connection from " + ctx.channel().remoteAddress()
                    + ": request size " + size + " is outside [0, " + maxFrameBytes + "] (socket.request.max.bytes)");
                in.skipBytes(in.readableBytes());
                ctx.channel().attr(CloseReason.ATTRIBUTE).setIfAbsent(CloseReason.FRAME_SIZE);
                ctx.close();
                return;
            }
            if (in.readableBytes() < 4 + size) {
                return;
            }
            in.skipBytes(4);
            out.add(in.readRetainedSlice(size));
        }
    }
}
