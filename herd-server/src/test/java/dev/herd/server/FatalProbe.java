package dev.herd.server;

import dev.herd.server.internal.Fatal;

/** A process whose worker thread runs out of memory: with {@link Fatal#installHandler} it must end, exit 3. */
public final class FatalProbe {
    private FatalProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        Fatal.installHandler();
        // A non-daemon thread that would keep a half-dead process alive, as Netty's event loops do.
        Thread keepAlive = new Thread(() -> {
            try {
                Thread.currentThread().join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        keepAlive.start();
        Thread worker = new Thread(() -> {
            throw new OutOfMemoryError("Java heap space (simulated)");
        });
        worker.start();
        keepAlive.join();
    }
}
