package dev.herd.load;

import org.HdrHistogram.Histogram;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Propagation mode: an IAMAT at one server, then WHATSATs at another, back to back, until it serves
 * the new record; the time from sending the IAMAT to that reply is one sample. Runs on the calling
 * thread with plain sockets, beside whatever background load the generator makes.
 */
final class Propagation {
    private static final int TIMEOUT_MILLIS = 5000;
    /**
     * Pause between two WHATSATs of one probe. Polling back to back kept two cores busy with the probe
     * itself, and the servers' threads then waited milliseconds for a core: the probe measured itself.
     */
    private static final long POLL_PAUSE_NANOS = 200_000;

    private final LoadOptions options;
    private final String probeId = "probe-" + Long.toHexString(System.nanoTime());
    private int failures;
    private int slow;
    /** Why probes' connections failed, by exception, for the summary. */
    private final Map<String, Integer> errors = new TreeMap<>();
    /** A probe slower than this is counted as slow in the summary. */
    private static final long SLOW_MICROS = 100_000;

    Propagation(LoadOptions options) {
        this.options = options;
    }

    int failures() {
        return failures;
    }

    /**
     * Runs the probes; a probe not seen within {@value #TIMEOUT_MILLIS} ms, or whose connection fails,
     * is counted as lost (its sockets are opened afresh) and the next one goes on, so a herd that falls
     * behind is measured, not fatal.
     */
    Histogram measure() throws InterruptedException {
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        TimeUnit.MICROSECONDS.sleep((long) (options.warmupSeconds() * 1e6));
        Probes probes = null;
        for (int i = 1; i <= options.probes(); i++) {
            try {
                if (probes == null) {
                    probes = new Probes(open(options.targets().get(options.propagationFrom())),
                            open(options.targets().get(options.propagationTo())));
                }
                long micros = probe(probes, i);
                if (micros < 0) {
                    failures++;
                } else {
                    latency.recordValue(Math.max(1, micros));
                    if (micros > SLOW_MICROS) {
                        slow++;
                    }
                }
            } catch (IOException e) {
                failures++;
                errors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                closeQuietly(probes);
                probes = null;
            }
        }
        closeQuietly(probes);
        return latency;
    }

    /** One probe: the time until the second server serves the new record, in microseconds, or -1 if it never did. */
    private long probe(Probes p, int i) throws IOException {
        String time = "1700000000." + String.format(Locale.ROOT, "%09d", i);
        long sent = System.nanoTime();
        write(p.from, "IAMAT " + probeId + " +34.068930-118.445127 " + time + "\n");
        String reply = readLine(p.fromIn);
        if (!reply.startsWith("AT ")) {
            return -1;
        }
        long deadline = sent + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (System.nanoTime() < deadline) {
            LockSupport.parkNanos(POLL_PAUSE_NANOS);
            write(p.to, "WHATSAT " + probeId + " 0.001 1\n");
            String first = readLine(p.toIn);
            if (first.startsWith("AT ")) {
                for (String line = readLine(p.toIn); !line.isEmpty(); line = readLine(p.toIn)) {
                    // The JSON; only the AT line matters here.
                }
                if (first.endsWith(" " + time)) {
                    return TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent);
                }
            }
        }
        return -1;
    }

    void print(Histogram h, LoadRun run) {
        System.out.printf(Locale.ROOT, "%nherd-load propagation %s -> %s: %d probes, %d seen, %d lost (not seen within %d ms%s),"
                        + " %d slower than %d ms; background errors %d%n",
                options.propagationFrom(), options.propagationTo(), options.probes(), h.getTotalCount(), failures,
                TIMEOUT_MILLIS, errors.isEmpty() ? "" : ", or a connection failed: " + errors, slow,
                SLOW_MICROS / 1000, run.errors());
        if (h.getTotalCount() > 0) {
            System.out.printf(Locale.ROOT, "propagation us: p50 %d  p90 %d  p99 %d  p99.9 %d  max %d%n",
                    h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9), h.getMaxValue());
        }
    }

    /** The two connections of the probes and their buffered input. */
    private record Probes(Socket from, Socket to, InputStream fromIn, InputStream toIn) implements Closeable {
        Probes(Socket from, Socket to) throws IOException {
            this(from, to, new BufferedInputStream(from.getInputStream()), new BufferedInputStream(to.getInputStream()));
        }

        @Override
        public void close() throws IOException {
            from.close();
            to.close();
        }
    }

    private static void closeQuietly(Probes p) {
        if (p != null) {
            try {
                p.close();
            } catch (IOException e) {
                // Being replaced or done with either way.
            }
        }
    }

    private static Socket open(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, TIMEOUT_MILLIS);
        s.setSoTimeout(TIMEOUT_MILLIS);
        s.setTcpNoDelay(true);
        return s;
    }

    private static void write(Socket s, String line) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            line.write(c);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
