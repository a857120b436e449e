package dev.herd.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Turns one line (without its line ending) into a {@link Message}: a command, or {@link Invalid}
 * carrying the line as received and the reason. Pure and thread-safe.
 */
public final class MessageParser {
    private static final byte[] END = Ascii.bytes("end");
    /** The most fields any message has (AT); one more is enough to know a line has too many. */
    private static final int MAX_FIELDS = 6;

    private MessageParser() {
    }

    public static Message parse(byte[] line) {
        return parse(line, 0, line.length);
    }

    public static Message parse(String line) {
        return parse(Ascii.bytes(line));
    }

    /**
     * Parses {@code b[from, to)} as a line from a client: only {@link IAmAt} and {@link WhatsAt} are
     * client commands; any other line, a well-formed peer message included, is {@link Invalid}.
     */
    public static Message parseClientLine(byte[] b, int from, int to) {
        Message msg = parse(b, from, to);
        if (msg instanceof Invalid || msg.command().fromClients()) {
            return msg;
        }
        return invalid(b, from, to, "not a client command");
    }

    /** Parses {@code b[from, to)}. */
    public static Message parse(byte[] b, int from, int to) {
        int[] starts = new int[MAX_FIELDS + 1];
        int[] ends = new int[MAX_FIELDS + 1];
        int count = 0;
        int i = from;
        while (i < to && count <= MAX_FIELDS) {
            while (i < to && Ascii.isBlank(b[i])) {
                i++;
            }
            if (i == to) {
                break;
            }
            starts[count] = i;
            while (i < to && !Ascii.isBlank(b[i])) {
                i++;
            }
            ends[count++] = i;
        }
        if (count == 0) {
            return invalid(b, from, to, "blank line");
        }
        if (count > MAX_FIELDS) {
            return invalid(b, from, to, "too many fields");
        }
        Fields f = new Fields(b, starts, ends, count);
        Command command = Command.of(b, starts[0], ends[0]);
        if (command == null) {
            return invalid(b, from, to, "unknown command");
        }
        return switch (command) {
            case IAMAT -> parseIAmAt(f, b, from, to);
            case WHATSAT -> parseWhatsAt(f, b, from, to);
            case AT -> parseAt(f, b, from, to);
            case PEER -> count == 2
                    ? new PeerGreeting(f.ascii(1), Bytes.copyOf(b, from, to))
                    : invalid(b, from, to, "PEER takes 1 field, got " + (count - 1));
            case CHALLENGE, PROOF -> parseChallengeOrProof(command, f, b, from, to);
            case DIGEST -> parseDigest(f, b, from, to);
            case SUMS -> parseSums(f, b, from, to);
            case PRINTS -> parsePrints(f, b, from, to);
            case IHAVE, IWANT -> parseTreeLine(command, f, b, from, to);
        };
    }

    private static Message parseChallengeOrProof(Command command, Fields f, byte[] b, int from, int to) {
        if (f.count != 2 || !isHex(b, f.starts[1], f.ends[1])) {
            return invalid(b, from, to, "CHALLENGE and PROOF take 1 hexadecimal field");
        }
        return command == Command.CHALLENGE ? new Challenge(f.ascii(1), Bytes.copyOf(b, from, to))
                : new Proof(f.ascii(1), Bytes.copyOf(b, from, to));
    }

    private static Message parseDigest(Fields f, byte[] b, int from, int to) {
        long records = f.count == 3 ? parseCount(b, f.starts[1], f.ends[1]) : -1;
        if (records < 0 || !isHex(b, f.starts[2], f.ends[2])) {
            return invalid(b, from, to, "DIGEST takes a count and a hexadecimal hash");
        }
        return new Digest(records, f.ascii(2), Bytes.copyOf(b, from, to));
    }

    private static Message parseSums(Fields f, byte[] b, int from, int to) {
        if (f.count != 5 || f.ends[1] - f.starts[1] != 8 || !isHex(b, f.starts[1], f.ends[1])) {
            return invalid(b, from, to, "SUMS takes a salt of 8 hexadecimal digits, bits, a first bucket and base64 sums");
        }
        long bits = parseCount(b, f.starts[2], f.ends[2]);
        long first = parseCount(b, f.starts[3], f.ends[3]);
        byte[] sums = base64(b, f.starts[4], f.ends[4]);
        if (bits < 0 || bits > Sums.MAX_BITS || first < 0 || sums == null || sums.length == 0 || sums.length % 4 != 0
                || first + sums.length / 4 > 1L << bits) {
            return invalid(b, from, to, "SUMS: bits 0-" + Sums.MAX_BITS + ", and 4 bytes a bucket within 2^bits buckets");
        }
        int salt = (int) Long.parseLong(f.ascii(1), 16);
        return new Sums(salt, (int) bits, (int) first, Bytes.copyOf(sums));
    }

    private static Message parsePrints(Fields f, byte[] b, int from, int to) {
        if (f.count == 2 && f.is(1, END)) {
            return Prints.END;
        }
        byte[] entries = f.count == 2 ? base64(b, f.starts[1], f.ends[1]) : null;
        if (entries == null || entries.length == 0 || !Prints.wellFormed(entries)) {
            return invalid(b, from, to, "PRINTS takes base64 entries (bucket, count, fingerprints) or end");
        }
        return new Prints(Bytes.copyOf(entries), false);
    }

    private static Message parseTreeLine(Command command, Fields f, byte[] b, int from, int to) {
        byte[] prints = f.count == 2 ? base64(b, f.starts[1], f.ends[1]) : null;
        if (prints == null || prints.length == 0 || prints.length % TreeLine.PRINT_BYTES != 0
                || prints.length > TreeLine.MAX_PRINTS * TreeLine.PRINT_BYTES) {
            return invalid(b, from, to, command + " takes base64 prints of " + TreeLine.PRINT_BYTES + " bytes each, 1 to "
                    + TreeLine.MAX_PRINTS);
        }
        return new TreeLine(command, Bytes.copyOf(prints));
    }

    /** The bytes of standard base64 text, or null if it is not that. */
    private static byte[] base64(byte[] b, int from, int to) {
        try {
            return Base64.getDecoder().decode(Arrays.copyOfRange(b, from, to));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Message parseIAmAt(Fields f, byte[] b, int from, int to) {
        if (f.count != 4) {
            return invalid(b, from, to, "IAMAT takes 3 fields, got " + (f.count - 1));
        }
        Location location = Location.parse(b, f.starts[2], f.ends[2]);
        if (location == null) {
            return invalid(b, from, to, "location is not ISO 6709 decimal degrees in range");
        }
        ClientTime time = ClientTime.parse(b, f.starts[3], f.ends[3]);
        if (time == null) {
            return invalid(b, from, to, "time is not POSIX seconds with at most 9 fractional digits");
        }
        return new IAmAt(f.bytes(1), location, time);
    }

    private static Message parseWhatsAt(Fields f, byte[] b, int from, int to) {
        if (f.count != 4) {
            return invalid(b, from, to, "WHATSAT takes 3 fields, got " + (f.count - 1));
        }
        Radius radius = Radius.parse(b, f.starts[2], f.ends[2]);
        if (radius == null) {
            return invalid(b, from, to, "radius is not a decimal number of km in (0, 50]");
        }
        int bound = parseBound(b, f.starts[3], f.ends[3]);
        if (bound < 0) {
            return invalid(b, from, to, "bound is not an integer in [1, 20]");
        }
        return new WhatsAt(f.bytes(1), radius, bound, Bytes.copyOf(b, from, to));
    }

    private static Message parseAt(Fields f, byte[] b, int from, int to) {
        if (f.count != 6) {
            return invalid(b, from, to, "AT takes 5 fields, got " + (f.count - 1));
        }
        if (!TimeDiff.isValid(b, f.starts[2], f.ends[2])) {
            return invalid(b, from, to, "time difference is not [+-]digits.9digits");
        }
        Location location = Location.parse(b, f.starts[4], f.ends[4]);
        if (location == null) {
            return invalid(b, from, to, "location is not ISO 6709 decimal degrees in range");
        }
        ClientTime time = ClientTime.parse(b, f.starts[5], f.ends[5]);
        if (time == null) {
            return invalid(b, from, to, "time is not POSIX seconds with at most 9 fractional digits");
        }
        return new At(f.ascii(1), f.ascii(2), f.bytes(3), location, time, Bytes.copyOf(b, from, to));
    }

    /** @return the bound, or -1 if it is not digits with a value in [1, 20] */
    private static int parseBound(byte[] b, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            if (!Ascii.isDigit(b[i])) {
                return -1;
            }
            value = value * 10 + (b[i] - '0');
            if (value > WhatsAt.MAX_BOUND) {
                return -1;
            }
        }
        return value >= 1 ? value : -1;
    }

    private static long parseCount(byte[] b, int from, int to) {
        if (to - from > 18) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            if (!Ascii.isDigit(b[i])) {
                return -1;
            }
            n = n * 10 + (b[i] - '0');
        }
        return n;
    }

    private static boolean isHex(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return to - from <= 128;
    }

    private static Invalid invalid(byte[] b, int from, int to, String reason) {
        return new Invalid(Bytes.copyOf(b, from, to), reason);
    }

    /** The blank-separated fields of one line, as index ranges into it. */
    private record Fields(byte[] b, int[] starts, int[] ends, int count) {
        boolean is(int field, byte[] word) {
            return Ascii.equals(b, starts[field], ends[field], word);
        }

        Bytes bytes(int field) {
            return Bytes.copyOf(b, starts[field], ends[field]);
        }

        String ascii(int field) {
            return new String(b, starts[field], ends[field] - starts[field], StandardCharsets.UTF_8);
        }
    }
}
