package dev.herd.testkit.load;

import org.HdrHistogram.Histogram;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
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

    Propagation(LoadOptions options) {
        this.options = options;
    }

    int failures() {
        return failures;
    }

    Histogram measure() throws IOException, InterruptedException {
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        InetSocketAddress from = options.targets().get(options.propagationFrom());
        InetSocketAddress to = options.targets().get(options.propagationTo());
        TimeUnit.MICROSECONDS.sleep((long) (options.warmupSeconds() * 1e6));
        try (Socket a = open(from); Socket b = open(to)) {
            InputStream aIn = new BufferedInputStream(a.getInputStream());
            InputStream bIn = new BufferedInputStream(b.getInputStream());
            for (int i = 1; i <= options.probes(); i++) {
                String time = "1700000000." + String.format(Locale.ROOT, "%09d", i);
                long sent = System.nanoTime();
                write(a, "IAMAT " + probeId + " +34.068930-118.445127 " + time + "\n");
                String reply = readLine(aIn);
                if (!reply.startsWith("AT ")) {
                    failures++;
                    continue;
                }
                long deadline = sent + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
                boolean seen = false;
                while (!seen && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(POLL_PAUSE_NANOS);
                    write(b, "WHATSAT " + probeId + " 0.001 1\n");
                    String first = readLine(bIn);
                    if (first.startsWith("AT ")) {
                        for (String line = readLine(bIn); !line.isEmpty(); line = readLine(bIn)) {
                            // The JSON; only the AT line matters here.
                        }
                        seen = first.endsWith(" " + time);
                    }
                }
                if (seen) {
                    latency.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent)));
                } else {
                    failures++;
                }
            }
        }
        return latency;
    }

    void print(Histogram h, LoadRun run) {
        System.out.printf(Locale.ROOT, "%nherd-load propagation %s -> %s: %d probes, %d not seen within %d ms, background errors %d%n",
                options.propagationFrom(), options.propagationTo(), options.probes(), failures, TIMEOUT_MILLIS, run.errors());
        System.out.printf(Locale.ROOT, "propagation us: p50 %d  p90 %d  p99 %d  p99.9 %d  max %d%n",
                h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue());
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
