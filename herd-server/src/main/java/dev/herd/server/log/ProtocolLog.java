package dev.herd.server.log;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.IAmAt;
import dev.herd.protocol.Invalid;
import dev.herd.protocol.Message;
import dev.herd.protocol.MessageFormatter;
import dev.herd.protocol.PlacesReply;
import dev.herd.protocol.TooLongLine;
import dev.herd.protocol.WhatsAt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A text log written in batches off the caller's thread: a server's protocol log ({@code NAME.lines.log},
 * every line received and sent) and, until log4j2 runs, its event log ({@link #events}).
 *
 * <p>How it keeps up with the event loops, as nginx's buffered {@code access_log} does: a thread that
 * logs builds its line as bytes in a buffer of its own (the line's bytes as they are, escaped only
 * where they must be; no String, no second formatting) and appends it, with its time, to a chunk of
 * its own; every {@value #PAUSE_MILLIS} ms, or when a chunk fills, the log's writer thread takes the
 * chunks, puts the time in front of each line, and appends them with one {@code write}. So a line is
 * in the file within about {@value #PAUSE_MILLIS} ms, and at stop ({@link #close}).
 *
 * <p>Bounded: past {@value #MAX_QUEUED_BYTES} bytes waiting (a disk that stopped), lines are counted,
 * not kept, and the count is written once the log catches up. The file rotates by size ({@link RotatingFile}).
 */
public final class ProtocolLog implements AutoCloseable {
    /** {@code -Dherd.lineLog=off} leaves the protocol lines out; events are still logged. */
    public static final String SWITCH = "herd.lineLog";
    /** How often the writer takes what the threads logged. */
    static final int PAUSE_MILLIS = 10;
    /** A thread's chunk: past this, it is handed to the writer whole. */
    static final int CHUNK_BYTES = 128 * 1024;
    static final long MAX_QUEUED_BYTES = 64L * 1024 * 1024;
    /** Per line in a chunk: its time (8 bytes) and its length (4). */
    private static final int HEADER = 12;
    private static final int OUT_BYTES = 1024 * 1024;
    /** Empty chunks kept for reuse after a burst; past that they are left to the garbage collector. */
    private static final int MAX_FREE = 16;

    private static final ProtocolLog OFF = new ProtocolLog();

    /** Whether protocol lines are written (events always are). */
    private final boolean protocolLines;
    private final RotatingFile file;
    private final String name;
    private final ThreadLocal<Chunk> chunk;
    private final CopyOnWriteArrayList<Chunk> chunks = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger freeCount = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    private ProtocolLog() {
        protocolLines = false;
        file = null;
        name = "off";
        chunk = null;
        writer = null;
    }

    private ProtocolLog(RotatingFile file, String threadName, boolean protocolLines) {
        this.protocolLines = protocolLines;
        this.file = file;
        this.name = file.path().getFileName().toString();
        this.chunk = ThreadLocal.withInitial(this::newChunk);
        this.writer = new Thread(this::run, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * The protocol log of {@code server}, appended to {@code file} (created, with its folder, if
     * missing), rotated past {@code fileBytes} keeping {@code files} files in all; with
     * {@code -Dherd.lineLog=off} it writes no protocol lines.
     */
    public static ProtocolLog open(Path file, String server, long fileBytes, int files) throws IOException {
        return new ProtocolLog(RotatingFile.open(file, fileBytes, files), server + "-lines-log",
                !"off".equalsIgnoreCase(System.getProperty(SWITCH)));
    }

    /** A writer of events only ({@link #event}) to {@code file}, which it never rotates: for the events before log4j2 runs. */
    public static ProtocolLog events(Path file, String server) throws IOException {
        return new ProtocolLog(RotatingFile.open(file, Long.MAX_VALUE, 1), server + "-early-log", false);
    }

    /** Creates the log file and its folder if they do not exist yet: cheap, done before a server listens. */
    public static void createFile(Path logFile) throws IOException {
        RotatingFile.create(logFile);
    }

    /** A log that writes nothing. */
    public static ProtocolLog off() {
        return OFF;
    }

    /** Whether protocol lines are written: test it before {@link #begin}. */
    public boolean enabled() {
        return protocolLines && !closed;
    }

    /**
     * Starts a protocol line on the calling thread's own buffer: append its parts, then
     * {@link Entry#end}. Call only when {@link #enabled()}; one line at a time per thread.
     */
    public Entry begin() {
        return chunk.get().entry.start();
    }

    /** Writes what is queued and closes the file; waits for the writer at most a second. */
    @Override
    public void close() {
        if (writer == null || closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Appends an event in the layout of the server's event log (log4j2's, see
     * {@link ServerLog#deferUntilReady}): {@code time LEVEL logger [thread] text}. Any thread.
     */
    void event(long millis, String level, String logger, String thread, String text) {
        if (writer == null || closed) {
            return;
        }
        StringBuilder label = new StringBuilder(level);
        while (label.length() < 5) {
            label.append(' ');
        }
        label.append(' ').append(logger.substring(logger.lastIndexOf('.') + 1)).append(" [").append(thread).append("] ").append(text);
        byte[] bytes = label.toString().getBytes(StandardCharsets.UTF_8);
        chunk.get().append(millis, bytes, 0, bytes.length);
    }

    private Chunk newChunk() {
        Chunk c = new Chunk(("INFO  lines [" + Thread.currentThread().getName() + "] ").getBytes(StandardCharsets.UTF_8));
        chunks.add(c);
        return c;
    }

    private byte[] buffer() {
        byte[] b = free.poll();
        if (b == null) {
            return new byte[CHUNK_BYTES];
        }
        freeCount.decrementAndGet();
        return b;
    }

    /** What one thread has logged and the writer has not taken yet; its lock is held only to append or take. */
    private final class Chunk {
        private final Entry entry;
        private byte[] pending = new byte[CHUNK_BYTES];
        private int length;
        /**
         * Buffers this thread filled, oldest first, before {@link #pending}: kept with the chunk (not in
         * one queue for all) so the writer takes a thread's lines in the order it logged them.
         */
        private final java.util.ArrayDeque<Filled> full = new java.util.ArrayDeque<>();

        Chunk(byte[] label) {
            this.entry = new Entry(this, label);
        }

        void append(long millis, byte[] line, int from, int n) {
            int need = HEADER + n;
            boolean wake = false;
            synchronized (this) {
                if (length + need > pending.length) {
                    if (length > 0) {
                        if (queuedBytes.get() + length > MAX_QUEUED_BYTES) {
                            // The writer is far behind (a stalled disk): keep memory bounded, count the loss.
                            dropped.addAndGet(countLines(pending, length));
                        } else {
                            queuedBytes.addAndGet(length);
                            full.add(new Filled(pending, length));
                            wake = true;
                        }
                        pending = buffer();
                        length = 0;
                    }
                    if (need > pending.length) {
                        pending = new byte[need];
                    }
                }
                putLong(pending, length, millis);
                putInt(pending, length + 8, n);
                System.arraycopy(line, from, pending, length + HEADER, n);
                length += need;
            }
            if (wake) {
                LockSupport.unpark(writer);
            }
        }

        /**
         * The writer takes the filled buffers into {@code into}, oldest first, then what is pending,
         * leaving {@code spare} (empty) in its place; returns whether it took the pending buffer.
         */
        synchronized boolean take(byte[] spare, java.util.List<Filled> into) {
            into.addAll(full);
            full.clear();
            if (length == 0) {
                return false;
            }
            into.add(new Filled(pending, length));
            pending = spare;
            length = 0;
            return true;
        }
    }

    /** A run of logged lines, each {@code millis(8) length(4) bytes}, handed to the writer. */
    private record Filled(byte[] data, int length) {
    }

    /**
     * One protocol line being built, reused by its thread: {@code append}, then {@link #end}. The parts
     * are bytes; client bytes go through {@link #escaped}, so nothing a client sends can split or forge a line.
     */
    public final class Entry {
        private final Chunk owner;
        private final byte[] label;
        private byte[] line = new byte[512];
        private int length;

        Entry(Chunk owner, byte[] label) {
            this.owner = owner;
            this.label = label;
        }

        Entry start() {
            System.arraycopy(label, 0, line, 0, label.length);
            length = label.length;
            return this;
        }

        /** Text of our own (addresses, arrows, notes): printable, written as UTF-8 only if it is not ASCII. */
        public Entry text(String text) {
            int n = text.length();
            room(n);
            for (int i = 0; i < n; i++) {
                char c = text.charAt(i);
                if (c >= 0x80) {
                    // Not ASCII after all: what was copied lies past the line's length; write it all again as UTF-8.
                    return bytes(text.getBytes(StandardCharsets.UTF_8));
                }
                line[length + i] = (byte) c;
            }
            length += n;
            return this;
        }

        public Entry bytes(byte[] bytes) {
            room(bytes.length);
            System.arraycopy(bytes, 0, line, length, bytes.length);
            length += bytes.length;
            return this;
        }

        /** Bytes a client or peer sent: as they are when they are printable ASCII, else escaped ({@link Bytes#toLogString}). */
        public Entry escaped(Bytes bytes) {
            if (!bytes.isLogSafe()) {
                return text(bytes.toLogString());
            }
            room(bytes.length());
            length = bytes.copyTo(line, length);
            return this;
        }

        /** A line as received: its bytes, and for a line refused, why. */
        public Entry received(Message msg) {
            if (msg instanceof Invalid invalid) {
                return escaped(invalid.line()).text("   [invalid: ").text(invalid.reason()).text("]");
            }
            if (msg instanceof TooLongLine tooLong) {
                return escaped(tooLong.prefix()).text("...   [invalid: line too long]");
            }
            if (msg instanceof IAmAt iamat) {
                // Its parts as parsed: the words of the line, without the blanks between them.
                return text("IAMAT ").escaped(iamat.clientId()).text(" ").text(iamat.location().latitudeText())
                        .text(iamat.location().longitudeText()).text(" ").text(iamat.time().text());
            }
            if (msg instanceof WhatsAt whatsat) {
                return escaped(whatsat.line());
            }
            return sent(msg);
        }

        /** A line as sent (without its line end). */
        public Entry sent(Message msg) {
            if (msg instanceof At at) {
                return escaped(at.canonicalLine());
            }
            if (msg instanceof Invalid invalid) {
                return text("? ").escaped(invalid.line());
            }
            if (msg instanceof PlacesReply reply) {
                return escaped(reply.at().canonicalLine()).text(" + Places JSON");
            }
            return escaped(MessageFormatter.lineOf(msg));
        }

        /** The line is complete: hands it to the log. */
        public void end() {
            owner.append(System.currentTimeMillis(), line, 0, length);
            if (line.length > 64 * 1024) {
                line = new byte[512]; // one huge line does not pin its buffer for the thread's life
            }
        }

        private void room(int n) {
            if (length + n > line.length) {
                line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, length + n));
            }
        }
    }

    // ---- the writer thread ----

    private void run() {
        TimeStamps times = new TimeStamps();
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocateDirect(OUT_BYTES);
        boolean failing = false;
        byte[] spare = new byte[CHUNK_BYTES];
        java.util.List<Filled> taken = new java.util.ArrayList<>();
        while (true) {
            boolean stopping = closed;
            long lines = 0;
            try {
                for (Chunk c : chunks) {
                    if (spare == null) {
                        spare = new byte[CHUNK_BYTES];
                    }
                    taken.clear();
                    boolean tookPending = c.take(spare, taken);
                    int fullOnes = tookPending ? taken.size() - 1 : taken.size();
                    for (int i = 0; i < fullOnes; i++) {
                        queuedBytes.addAndGet(-taken.get(i).length); // out of the queue, written or not
                    }
                    if (tookPending) {
                        spare = null; // the chunk's pending now; the buffer taken becomes the spare once written
                    }
                    for (int i = 0; i < taken.size(); i++) {
                        Filled f = taken.get(i);
                        lines += drain(f, out, times);
                        if (i >= fullOnes) {
                            spare = f.data.length == CHUNK_BYTES ? f.data : null;
                        } else {
                            if (f.data.length == CHUNK_BYTES && freeCount.get() < MAX_FREE) {
                                freeCount.incrementAndGet();
                                free.offer(f.data);
                            }
                        }
                    }
                }
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    byte[] note = ("WARN  lines [" + Thread.currentThread().getName() + "] " + lost
                            + " protocol lines left out: the log could not keep up").getBytes(StandardCharsets.UTF_8);
                    put(out, times, System.currentTimeMillis(), note, 0, note.length);
                }
                lines += lost;
                flush(out);
                if (failing) {
                    failing = false;
                    ServerLog.of(ProtocolLog.class).info("{}: writing again", name);
                }
            } catch (IOException e) {
                // A full or failing disk: these lines are lost (counted), the next batch tries again.
                out.clear();
                if (!failing) {
                    failing = true;
                    ServerLog.of(ProtocolLog.class).error("{}: cannot write ({}); lines are dropped until it can",
                            name, e.toString());
                }
                dropped.addAndGet(lines);
                if (stopping) {
                    break; // stopping and the disk refuses: what is left is lost, counted in no file
                }
            }
            if (stopping && lines == 0) {
                break;
            }
            if (!stopping) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PAUSE_MILLIS));
            }
        }
        try {
            file.close();
        } catch (IOException e) {
            // Nothing more to write to it either way.
        }
    }

    /** Formats a run of lines into {@code out}, writing whenever it fills; returns how many lines. */
    private long drain(Filled f, java.nio.ByteBuffer out, TimeStamps times) throws IOException {
        byte[] d = f.data;
        int at = 0;
        long n = 0;
        while (at < f.length) {
            long millis = getLong(d, at);
            int len = getInt(d, at + 8);
            put(out, times, millis, d, at + HEADER, len);
            at += HEADER + len;
            n++;
        }
        return n;
    }

    private void put(java.nio.ByteBuffer out, TimeStamps times, long millis, byte[] d, int from, int len) throws IOException {
        if (out.remaining() < TimeStamps.LENGTH + len + 1) {
            flush(out);
            if (out.remaining() < TimeStamps.LENGTH + len + 1) {
                byte[] stamp = times.of(millis);
                file.write(java.nio.ByteBuffer.allocate(stamp.length + len + 1).put(stamp).put(d, from, len).put((byte) '\n').flip());
                return;
            }
        }
        out.put(times.of(millis)).put(d, from, len).put((byte) '\n');
    }

    private void flush(java.nio.ByteBuffer out) throws IOException {
        if (out.position() == 0) {
            return;
        }
        out.flip();
        try {
            file.write(out);
        } finally {
            out.clear();
        }
    }

    private static int countLines(byte[] d, int length) {
        int at = 0;
        int n = 0;
        while (at < length) {
            at += HEADER + getInt(d, at + 8);
            n++;
        }
        return n;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }
}
