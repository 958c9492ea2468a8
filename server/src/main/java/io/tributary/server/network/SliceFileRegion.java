package io.tributary.server.network;

import io.netty.channel.DefaultFileRegion;
import io.tributary.log.LogSlice;

/**
 * A log slice as a Netty file region. It extends {@link DefaultFileRegion} because that is the type the
 * epoll transport sends with native sendfile (NIO uses {@code FileChannel.transferTo}, also sendfile).
 * Releasing the region releases the slice instead of closing the segment's file, which other readers
 * and the writer share.
 */
final class SliceFileRegion extends DefaultFileRegion {
    private final LogSlice slice;

    SliceFileRegion(LogSlice slice) {
        super(slice.channel(), slice.position(), slice.length());
        this.slice = slice;
    }

    @Override
    protected void deallocate() {
        slice.release();
    }
}
