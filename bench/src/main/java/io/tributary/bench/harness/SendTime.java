package io.tributary.bench.harness;

/**
 * The send-time header's value: the due time of the send as {@code System.nanoTime()}, 8 bytes big-endian.
 * Producers and consumers run in one harness process, so their monotonic clocks agree.
 */
final class SendTime {
    private SendTime() {
    }

    static byte[] encode(long nanos) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) nanos;
            nanos >>>= 8;
        }
        return b;
    }

    /** @throws IllegalArgumentException unless 8 bytes */
    static long decode(byte[] b) {
        if (b.length != 8) {
            throw new IllegalArgumentException("send-time header has " + b.length + " bytes, expected 8");
        }
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
        }
        return v;
    }
}
