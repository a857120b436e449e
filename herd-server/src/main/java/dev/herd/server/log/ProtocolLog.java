package dev.herd.server.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** herd-server-log4j2.xml's rotation of the event log: past 64 MB (log4j2's MB is 2^20 bytes), 8 files in all. */
    static final long EVENT_FILE_BYTES = 64L << 20;
    static final int EVENT_FILES = 8;
    private static final int OUT_BYTES = 1024 * 1024;
    /** Empty chunks kept for reuse after a burst; past that they are left to the garbage collector. */
    private static final int MAX_FREE = 16;

    private static final ProtocolLog OFF = new ProtocolLog();

    /** Whether protocol lines are written (events always are). */
    private final boolean protocolLines;
    private final RotatingFile file;
    private final String name;
    private final ThreadLocal<LogChunk> chunk;
    private final CopyOnWriteArrayList<LogChunk> chunks = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger freeCount = new AtomicInteger();
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

    /**
     * A writer of events only ({@link #event}) to {@code file}: for the events before log4j2 runs (for
     * {@code StartupWork.DEFERRED} after a server starts), rotated as herd-server-log4j2.xml has log4j2 rotate it then.
     */
    public static ProtocolLog events(Path file, String server) throws IOException {
        return new ProtocolLog(RotatingFile.open(file, EVENT_FILE_BYTES, EVENT_FILES), server + "-early-log", false);
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
     * {@link LogEntry#end}. Call only when {@link #enabled()}; one line at a time per thread.
     */
    public LogEntry begin() {
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

    private LogChunk newChunk() {
        LogChunk c = new LogChunk(("INFO  lines [" + Thread.currentThread().getName() + "] ").getBytes(StandardCharsets.UTF_8),
                this::buffer, this::admit, () -> LockSupport.unpark(writer));
        chunks.add(c);
        return c;
    }

    /**
     * Whether a filled buffer of {@code length} bytes may wait for the writer; if not (the writer is far
     * behind, a stalled disk) its lines are counted as lost, so that memory stays bounded.
     */
    private boolean admit(byte[] data, int length) {
        if (queuedBytes.get() + length > MAX_QUEUED_BYTES) {
            dropped.addAndGet(LogBatch.countLines(data, length));
            return false;
        }
        queuedBytes.addAndGet(length);
        return true;
    }

    private byte[] buffer() {
        byte[] b = free.poll();
        if (b == null) {
            return new byte[CHUNK_BYTES];
        }
        freeCount.decrementAndGet();
        return b;
    }

    // ---- the writer thread ----

    private void run() {
        StampedOutput out = new StampedOutput(file, OUT_BYTES);
        boolean failing = false;
        byte[] spare = new byte[CHUNK_BYTES];
        List<LogBatch> taken = new ArrayList<>();
        while (true) {
            boolean stopping = closed;
            long lines = 0;
            try {
                for (LogChunk c : chunks) {
                    if (spare == null) {
                        spare = new byte[CHUNK_BYTES];
                    }
                    taken.clear();
                    boolean tookPending = c.take(spare, taken);
                    int fullOnes = tookPending ? taken.size() - 1 : taken.size();
                    for (int i = 0; i < fullOnes; i++) {
                        queuedBytes.addAndGet(-taken.get(i).length()); // out of the queue, written or not
                    }
                    if (tookPending) {
                        spare = null; // the chunk's pending now; the buffer taken becomes the spare once written
                    }
                    for (int i = 0; i < taken.size(); i++) {
                        LogBatch f = taken.get(i);
                        lines += out.drain(f);
                        if (i >= fullOnes) {
                            spare = f.data().length == CHUNK_BYTES ? f.data() : null;
                        } else {
                            if (f.data().length == CHUNK_BYTES && freeCount.get() < MAX_FREE) {
                                freeCount.incrementAndGet();
                                free.offer(f.data());
                            }
                        }
                    }
                }
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    byte[] note = ("WARN  lines [" + Thread.currentThread().getName() + "] " + lost
                            + " protocol lines left out: the log could not keep up").getBytes(StandardCharsets.UTF_8);
                    out.put(System.currentTimeMillis(), note, 0, note.length);
                }
                lines += lost;
                out.flush();
                if (failing) {
                    failing = false;
                    ServerLog.of(ProtocolLog.class).info("{}: writing again", name);
                }
            } catch (IOException e) {
                // A full or failing disk: these lines are lost (counted), the next batch tries again.
                out.discard();
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
}
