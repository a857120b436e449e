package dev.herd.server.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Every protocol line a server receives and sends, appended to its log file ({@code NAME.log}, which
 * its events share) in the same layout as those events: {@code time LEVEL lines [thread] text}.
 *
 * <p>The event loops only queue a line (the text they already built, the time and the thread name);
 * a thread of the log's own formats and appends them in batches, one {@code write} per batch, waking
 * every {@value #PAUSE_MILLIS} ms while there is nothing to write, so a line is in the file within
 * about that long. It needs nothing of log4j2, which starts too slowly for a server's first
 * replies (see {@link ServerLog}); both append to the file with {@code O_APPEND}, a whole batch or
 * event per write, so their lines never mix.
 *
 * <p>Memory is bounded: past {@value #MAX_QUEUED} lines waiting (a disk that stopped), further lines
 * are counted, not kept, and the count is written once the log catches up.
 */
public final class ProtocolLog implements AutoCloseable {
    /** {@code -Dherd.lineLog=off} leaves the protocol lines out (benchmarks); events are still logged. */
    public static final String SWITCH = "herd.lineLog";
    static final int PAUSE_MILLIS = 10;
    static final int MAX_QUEUED = 1 << 20;
    private static final int BATCH_BYTES = 256 * 1024;

    private static final ProtocolLog OFF = new ProtocolLog();

    /** Whether the protocol lines are written ({@code -Dherd.lineLog=off}: only the events, see {@link #event}). */
    private final boolean protocolLines;
    private final ConcurrentLinkedQueue<Line> queue;
    private final AtomicLong queued;
    private final AtomicLong dropped;
    private final FileChannel file;
    private final Thread writer;
    private volatile boolean closed;
    /** The writer's own: java.time costs tens of ms to load, which must not delay a server's start. */
    private ZoneId zone;
    private DateTimeFormatter seconds;
    private DateTimeFormatter offset;
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedPrefix;
    private String cachedOffset;

    private ProtocolLog() {
        protocolLines = false;
        queue = null;
        queued = null;
        dropped = null;
        file = null;
        writer = null;
    }

    private ProtocolLog(FileChannel file, String threadName, boolean protocolLines) {
        this.protocolLines = protocolLines;
        this.queue = new ConcurrentLinkedQueue<>();
        this.queued = new AtomicLong();
        this.dropped = new AtomicLong();
        this.file = file;
        this.writer = new Thread(this::run, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * The protocol log of the server whose log file is {@code logFile}, created (with its folder) if
     * missing; with {@code -Dherd.lineLog=off} it leaves the protocol lines out (and still writes events
     * handed to it).
     */
    public static ProtocolLog open(Path logFile, String server) throws IOException {
        createFile(logFile);
        FileChannel channel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return new ProtocolLog(channel, server + "-protocol-log", !"off".equalsIgnoreCase(System.getProperty(SWITCH)));
    }

    /** Creates the log file and its folder if they do not exist yet: cheap, done before a server listens. */
    public static void createFile(Path logFile) throws IOException {
        Path dir = logFile.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (!Files.exists(logFile)) {
            try {
                Files.createFile(logFile);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Made meanwhile by log4j2 or another server: what we wanted.
            }
        }
    }

    /** A log that writes nothing. */
    public static ProtocolLog off() {
        return OFF;
    }

    /** Whether protocol lines are written: test it before building a line's text. */
    public boolean enabled() {
        return protocolLines && !closed;
    }

    /** Queues one protocol line (without its line end). Any thread; never blocks. */
    public void log(String text) {
        if (!enabled()) {
            return;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.add(new Line(System.currentTimeMillis(), PROTOCOL, Thread.currentThread().getName(), text));
        if (queued.get() > MAX_QUEUED / 2) {
            LockSupport.unpark(writer);
        }
    }

    /** Writes what is queued and closes the file; waits for the writer at most a second. */
    @Override
    public void close() {
        if (queue == null || closed) {
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

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(BATCH_BYTES);
        StringBuilder text = new StringBuilder(BATCH_BYTES);
        try {
            while (true) {
                boolean stopping = closed;
                if (!writeBatch(text, buffer) && stopping) {
                    break;
                }
                if (queue.isEmpty() && !closed) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PAUSE_MILLIS));
                }
            }
        } catch (IOException e) {
            ServerLog.of(ProtocolLog.class).error("protocol log: cannot write ({}); protocol lines are no longer logged",
                    e.toString());
        } finally {
            try {
                file.close();
            } catch (IOException e) {
                // Nothing more to write to it either way.
            }
        }
    }

    /** Formats and writes what is queued, up to a batch; false if nothing was. */
    private boolean writeBatch(StringBuilder text, ByteBuffer buffer) throws IOException {
        text.setLength(0);
        Line line;
        while (text.length() < BATCH_BYTES / 2 && (line = queue.poll()) != null) {
            queued.decrementAndGet();
            format(line, text);
        }
        long lost = dropped.get();
        if (lost > 0 && queued.get() == 0) {
            dropped.addAndGet(-lost);
            format(new Line(System.currentTimeMillis(), PROTOCOL, Thread.currentThread().getName(),
                    lost + " protocol lines left out: the log could not keep up"), text);
        }
        if (text.length() == 0) {
            return false;
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = bytes.length <= buffer.capacity() ? buffer.clear().put(bytes).flip() : ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            file.write(out);
        }
        return true;
    }

    private void format(Line line, StringBuilder out) {
        long second = Math.floorDiv(line.millis, 1000);
        if (second != cachedSecond) {
            if (zone == null) {
                zone = ZoneId.systemDefault();
                seconds = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
                offset = DateTimeFormatter.ofPattern("XXX");
            }
            var time = Instant.ofEpochSecond(second).atZone(zone);
            cachedPrefix = seconds.format(time);
            cachedOffset = offset.format(time);
            cachedSecond = second;
        }
        int millis = (int) Math.floorMod(line.millis, 1000);
        out.append(cachedPrefix).append('.');
        if (millis < 100) {
            out.append('0');
        }
        if (millis < 10) {
            out.append('0');
        }
        out.append(millis).append(cachedOffset).append(' ').append(line.levelAndLogger).append(" [").append(line.thread).append("] ")
                .append(line.text).append('\n');
    }

    /** One protocol line, as queued by an event loop. */
    private record Line(long millis, String levelAndLogger, String thread, String text) {
    }

    /** How a protocol line is labelled, as log4j2's layout would label an INFO event of logger "lines". */
    private static final String PROTOCOL = "INFO  lines";

    /**
     * Appends an event in the layout of the server's event log: for events logged before log4j2 runs
     * (see {@link ServerLog#deferUntilReady}). Any thread.
     */
    void event(long millis, String level, String logger, String thread, String text) {
        if (queue == null || closed) {
            return;
        }
        StringBuilder label = new StringBuilder(level);
        while (label.length() < 5) {
            label.append(' ');
        }
        queued.incrementAndGet();
        queue.add(new Line(millis, label.append(' ').append(logger.substring(logger.lastIndexOf('.') + 1)).toString(),
                thread, text));
    }
}
