package dev.herd.server.log;

/**
 * A run of logged lines handed to the protocol log's writer: {@code length} bytes of {@code data}, each
 * line as {@code millis(8) length(4) bytes}.
 */
record LogBatch(byte[] data, int length) {
    /** Per line: its time (8 bytes) and its length (4). */
    static final int HEADER = 12;

    /** Writes a line's header (its time and length) at {@code at}. */
    static void putHeader(byte[] b, int at, long millis, int length) {
        long v = millis;
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
        b[at + 8] = (byte) (length >>> 24);
        b[at + 9] = (byte) (length >>> 16);
        b[at + 10] = (byte) (length >>> 8);
        b[at + 11] = (byte) length;
    }

    static long millisAt(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }

    static int lengthAt(byte[] b, int at) {
        return (b[at + 8] & 0xff) << 24 | (b[at + 9] & 0xff) << 16 | (b[at + 10] & 0xff) << 8 | b[at + 11] & 0xff;
    }

    /** How many lines the first {@code length} bytes of {@code d} hold. */
    static int countLines(byte[] d, int length) {
        int at = 0;
        int n = 0;
        while (at < length) {
            at += HEADER + lengthAt(d, at);
            n++;
        }
        return n;
    }
}
