package dev.herd.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One connection of the generator: keeps up to {@code pipeline} requests outstanding, checks each
 * reply against its request in order, and times it. Lines arrive framed; confined to its event loop.
 */
final class LoadConnection extends ChannelInboundHandlerAdapter {
    private record Outstanding(Workload.Request request, long sentNanos) {
    }

    private final Workload workload;
    private final LoadRun run;
    private final int pipeline;
    private final ArrayDeque<Outstanding> outstanding = new ArrayDeque<>();
    /** True while the lines of a WHATSAT's JSON are arriving. */
    private boolean inJson;
    private int jsonLines;
    private ChannelHandlerContext ctx;

    LoadConnection(Workload workload, LoadRun run, int pipeline) {
        this.workload = workload;
        this.run = run;
        this.pipeline = pipeline;
    }

    /** How many replies are owed, as last seen on the event loop; for other threads to poll. */
    private volatile int owed;

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    /** Runs {@code task} on this connection's event loop. */
    void runOnLoop(Runnable task) {
        ctx.executor().execute(task);
    }

    void runOnLoopAtFixedRate(Runnable task, long initialDelayNanos, long periodNanos) {
        ctx.executor().scheduleAtFixedRate(task, initialDelayNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    /** Starts a closed-loop connection: fills its pipeline; replies keep it full. Event loop only. */
    void kick() {
        fill();
        ctx.flush();
    }

    void flushNow() {
        ctx.flush();
    }

    /** Sends one request if the pipeline has room; for paced runs. Event loop only. */
    void sendPaced() {
        if (ctx != null && outstanding.size() < pipeline && run.mayStart()) {
            send(workload.next());
            ctx.flush();
        } else if (ctx != null) {
            run.unsent();
        }
    }

    /** Sends {@code request} now, whatever the pipeline holds (priming). */
    void send(Workload.Request request) {
        outstanding.add(new Outstanding(request, System.nanoTime()));
        owed = outstanding.size();
        ctx.write(ctx.alloc().buffer(request.line().length).writeBytes(request.line()), ctx.voidPromise());
    }

    private void fill() {
        while (outstanding.size() < pipeline && run.mayStart()) {
            send(workload.next());
        }
    }

    int outstanding() {
        return owed;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        ByteBuf line = (ByteBuf) msg;
        try {
            onLine(line.toString(StandardCharsets.UTF_8));
        } finally {
            line.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (!run.paced()) {
            fill();
        }
        context.flush();
    }

    private void onLine(String line) {
        if (inJson) {
            if (line.isEmpty()) {
                inJson = false;
                complete(jsonLines > 0 && lastJsonLineClosed);
            } else {
                jsonLines++;
                lastJsonLineClosed = line.equals("}");
            }
            return;
        }
        Outstanding head = outstanding.peek();
        if (head == null) {
            run.error("a line nobody asked for: " + line);
            return;
        }
        switch (head.request().kind()) {
            case IAMAT -> complete(line.startsWith("AT ") && line.endsWith(head.request().echo()));
            case BAD -> complete(line.equals(head.request().echo()));
            case WHATSAT -> {
                if (line.startsWith("AT ")) {
                    inJson = true;
                    jsonLines = 0;
                    lastJsonLineClosed = false;
                } else {
                    complete(false);
                }
            }
        }
    }

    private boolean lastJsonLineClosed;

    private void complete(boolean ok) {
        Outstanding done = outstanding.poll();
        owed = outstanding.size();
        run.replied(done.request().kind(), System.nanoTime() - done.sentNanos(), ok);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (!outstanding.isEmpty() && !run.finished()) {
            run.error("connection closed with " + outstanding.size() + " replies owed");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        run.error(cause.toString());
        context.close();
    }
}
