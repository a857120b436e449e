package dev.herd.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * One scripted answer of {@link FakePlaces}: an HTTP status and body, sent after a delay, gzipped or
 * not; or a stall that never answers. Immutable; the {@code with...} methods return new replies.
 */
public final class FakeReply {
    private final int status;
    private final String body;
    private final Duration delay;
    private final boolean stall;
    private final boolean gzip;

    private FakeReply(int status, String body, Duration delay, boolean stall, boolean gzip) {
        this.status = status;
        this.body = Objects.requireNonNull(body);
        this.delay = delay;
        this.stall = stall;
        this.gzip = gzip;
    }

    /** HTTP 200 with {@code json}. */
    public static FakeReply json(String json) {
        return new FakeReply(200, json, Duration.ZERO, false, false);
    }

    /** Any HTTP status with any body. */
    public static FakeReply status(int httpStatus, String body) {
        return new FakeReply(httpStatus, body, Duration.ZERO, false, false);
    }

    /** A legacy Nearby Search error answer (HTTP 200), e.g. {@code OVER_QUERY_LIMIT}. */
    public static FakeReply googleError(String status, String message) {
        return json("{\"error_message\":\"" + message + "\",\"html_attributions\":[],\"results\":[],\"status\":\"" + status + "\"}");
    }

    /** Takes the request and never answers. */
    public static FakeReply stall() {
        return new FakeReply(200, "", Duration.ZERO, true, false);
    }

    /** This reply, sent only after {@code wait}. */
    public FakeReply after(Duration wait) {
        return new FakeReply(status, body, wait, stall, gzip);
    }

    /** This reply with a gzip-encoded body ({@code Content-Encoding: gzip}). */
    public FakeReply gzipped() {
        return new FakeReply(status, body, delay, stall, true);
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }

    public Duration delay() {
        return delay;
    }

    public boolean isStall() {
        return stall;
    }

    public boolean isGzipped() {
        return gzip;
    }
}
