package dev.herd.bench;

import dev.herd.protocol.At;
import dev.herd.protocol.ClientTime;
import dev.herd.protocol.IAmAt;
import dev.herd.protocol.Message;
import dev.herd.protocol.MessageFormatter;
import dev.herd.protocol.MessageParser;
import dev.herd.protocol.TimeDiff;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The protocol's pure functions: parsing a line, formatting a reply, the time difference. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProtocolBenchmark {
    private final byte[] iamatLine = "IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 1621464827.959498503".getBytes(StandardCharsets.US_ASCII);
    private final byte[] whatsatLine = "WHATSAT kiwi.cs.ucla.edu 10 5".getBytes(StandardCharsets.US_ASCII);
    private final byte[] badLine = "HELLO kiwi.cs.ucla.edu +34.068930-118.445127".getBytes(StandardCharsets.US_ASCII);
    private IAmAt iamat;
    private At at;

    @Setup
    public void setUp() {
        iamat = (IAmAt) MessageParser.parse(iamatLine);
        at = At.of("Hill", "+0.263873386", iamat.clientId(), iamat.location(), iamat.time());
    }

    @Benchmark
    public Message parseIamat() {
        return MessageParser.parse(iamatLine, 0, iamatLine.length);
    }

    @Benchmark
    public Message parseWhatsat() {
        return MessageParser.parse(whatsatLine, 0, whatsatLine.length);
    }

    @Benchmark
    public Message parseInvalid() {
        return MessageParser.parse(badLine, 0, badLine.length);
    }

    @Benchmark
    public String timeDiff() {
        return TimeDiff.between(1621464828L, 223372000, iamat.time());
    }

    @Benchmark
    public At makeAtRecord() {
        return At.of("Hill", TimeDiff.between(1621464828L, 223372000, iamat.time()), iamat.clientId(), iamat.location(), iamat.time());
    }

    @Benchmark
    public int formatAt() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer(128);
        try {
            MessageFormatter.write(at, out);
            return out.readableBytes();
        } finally {
            out.release();
        }
    }

    @Benchmark
    public ClientTime parseTime() {
        return ClientTime.parse("1621464827.959498503");
    }
}
