package dev.herd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports free now, for configs that must name their ports before the servers start. */
public final class FreePorts {
    private FreePorts() {
    }

    /**
     * {@code n} distinct ports, free when this returns: all are held open together while they are
     * picked, since a port closed at once may be handed out again by the next pick.
     */
    public static int[] distinct(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port: " + e.getMessage(), e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException e) {
                    // Closing a listening socket nobody connected to: nothing to lose.
                }
            }
        }
    }
}
