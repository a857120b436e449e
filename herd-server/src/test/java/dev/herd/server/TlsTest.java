package dev.herd.server;

import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import dev.herd.testing.Wait;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** With TLS configured, clients and peer links speak TLS, and updates still flood. */
@Timeout(30)
class TlsTest {

    @Test
    @SuppressWarnings("deprecation") // SelfSignedCertificate: a throwaway test certificate is its purpose.
    void clientsAndPeersSpeakTls() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        HerdConfig.Tls tls = new HerdConfig.Tls(cert.certificate().toPath(), cert.privateKey().toPath(), cert.certificate().toPath());
        Topology topology = Topology.of(List.of(
                new ServerSpec("A", "localhost", 0, List.of("B")),
                new ServerSpec("B", "localhost", 0, List.of("A"))));
        Map<String, Integer> ports = new ConcurrentHashMap<>();
        Map<String, Integer> peerPorts = new ConcurrentHashMap<>();
        Path logs = Path.of(System.getProperty("herd.logDir", "target/herd-logs"), "tls");
        HerdServer a = new HerdServer(HerdConfig.builder(topology, "A").tls(tls).ioThreads(1).logDir(logs).build(),
                name -> new InetSocketAddress("localhost", peerPorts.get(name)));
        HerdServer b = new HerdServer(HerdConfig.builder(topology, "B").tls(tls).ioThreads(1).logDir(logs).build(),
                name -> new InetSocketAddress("localhost", peerPorts.get(name)));
        try {
            ports.put("A", a.bind().getPort());
            ports.put("B", b.bind().getPort());
            peerPorts.put("A", a.peerAddress().getPort());
            peerPorts.put("B", b.peerAddress().getPort());
            a.serve();
            b.serve();
            a.connectPeers();
            b.connectPeers();

            SSLContext trusting = trusting(cert.certificate().toPath());
            String at = request(trusting, ports.get("A"), "IAMAT kiwi +34.068930-118.445127 1621464827.959498503");
            assertThat(at).startsWith("AT A ");
            Wait.succeeds("A's record, flooded to B over a TLS peer link", Duration.ofSeconds(10), () -> {
                assertThat(request(trusting, ports.get("B"), "WHATSAT kiwi 10 1")).isEqualTo(at);
                return null;
            });
        } finally {
            a.close();
            b.close();
            cert.delete();
        }
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = new FileInputStream(pem.toFile())) {
            store.setCertificateEntry("herd", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** One line over TLS, the first line of the reply back. */
    private static String request(SSLContext context, int port, String line) throws Exception {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
