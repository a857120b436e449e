package dev.herd.server.internal;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * The two TLS contexts of a server with TLS configured: one to accept connections (clients and
 * peers) with this server's certificate, one for its own links to peers, which trusts the configured
 * certificates and checks that a peer's certificate names the host it connects to.
 */
public record TlsContexts(SslContext server, SslContext peerClient) {

    /** From PEM files: this server's certificate chain and key, and the certificates it trusts for its peers. */
    public static TlsContexts of(Path certificate, Path key, Path trust) {
        try {
            SslContext server = SslContextBuilder.forServer(certificate.toFile(), key.toFile()).build();
            SslContext client = SslContextBuilder.forClient().trustManager(trust.toFile())
                    .endpointIdentificationAlgorithm("HTTPS").build();
            return new TlsContexts(server, client);
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("tls: cannot load the certificate, key or trust files: " + e.getMessage(), e);
        }
    }
}
