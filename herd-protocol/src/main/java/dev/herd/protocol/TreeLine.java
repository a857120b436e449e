package dev.herd.protocol;

/**
 * The tree mode's lines between peers ({@code "dissemination": "tree"}): {@code IHAVE base64} (this
 * server holds these updates; ask if you lack one) on the links off the tree, and {@code IWANT base64}
 * (send me these) in answer to a notice whose update did not follow over the tree in time. An update is
 * named by a {@value #PRINT_BYTES}-byte print of its AT line's line hash, big-endian; a line lists one
 * or more.
 *
 * @param command IHAVE or IWANT
 * @param prints  the prints, {@value #PRINT_BYTES} bytes each, decoded
 */
public record TreeLine(Command command, Bytes prints) implements Message {
    /**
     * Bytes of an update's print: 48 bits, so that a notice costs 8 base64 characters (no padding) and
     * two updates among the last hundred thousand share one with odds of about 1 in 3 billion.
     */
    public static final int PRINT_BYTES = 6;
    /** The most prints one line carries (4,096 characters of base64). */
    public static final int MAX_PRINTS = 512;

    public TreeLine {
        if (command != Command.IHAVE && command != Command.IWANT) {
            throw new IllegalArgumentException("not a tree line: " + command);
        }
        if (prints.length() == 0 || prints.length() % PRINT_BYTES != 0 || prints.length() > MAX_PRINTS * PRINT_BYTES) {
            throw new IllegalArgumentException(command + " with " + prints.length() + " bytes of prints");
        }
    }

    /** The print naming an update whose AT line has this line hash: its top 48 bits. */
    public static long printOf(long lineHash) {
        return lineHash >>> (64 - 8 * PRINT_BYTES);
    }

    /** An IHAVE or IWANT line of {@code prints[0, count)}, 1 to {@value #MAX_PRINTS} of them. */
    public static TreeLine of(Command command, long[] prints, int count) {
        byte[] b = new byte[count * PRINT_BYTES];
        for (int i = 0; i < count; i++) {
            long p = prints[i];
            for (int k = 0; k < PRINT_BYTES; k++) {
                b[i * PRINT_BYTES + k] = (byte) (p >>> (8 * (PRINT_BYTES - 1 - k)));
            }
        }
        return new TreeLine(command, Bytes.copyOf(b, 0, b.length));
    }

    public int count() {
        return prints.length() / PRINT_BYTES;
    }

    /** The {@code i}th print. */
    public long print(int i) {
        long p = 0;
        for (int k = 0; k < PRINT_BYTES; k++) {
            p = p << 8 | (prints.byteAt(i * PRINT_BYTES + k) & 0xffL);
        }
        return p;
    }
}
