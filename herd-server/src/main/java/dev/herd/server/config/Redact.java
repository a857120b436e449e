package dev.herd.server.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The one place that turns a URL into what may be logged or printed: scheme, host, port and path.
 * User info ({@code user:password@}) and the query (which may hold a key) never reach a log line, an
 * error message or the status page.
 */
public final class Redact {
    private Redact() {
    }

    public static String url(URI url) {
        StringBuilder out = new StringBuilder();
        if (url.getScheme() != null) {
            out.append(url.getScheme()).append("://");
        }
        if (url.getHost() != null) {
            out.append(url.getHost());
            if (url.getPort() != -1) {
                out.append(':').append(url.getPort());
            }
        } else if (url.getRawAuthority() != null) {
            String authority = url.getRawAuthority();
            out.append(authority.substring(authority.lastIndexOf('@') + 1));
        }
        if (url.getRawPath() != null) {
            out.append(url.getRawPath());
        }
        if (url.getRawUserInfo() != null || url.getRawQuery() != null) {
            out.append(url.getRawUserInfo() != null && url.getRawQuery() != null ? " (credentials and query hidden)"
                    : url.getRawUserInfo() != null ? " (credentials hidden)" : " (query hidden)");
        }
        return out.toString();
    }

    /** Like {@link #url(URI)} for text that may not even parse as a URL: then only its scheme is kept. */
    public static String url(String text) {
        try {
            return url(new URI(text));
        } catch (URISyntaxException e) {
            int colon = text.indexOf(':');
            return (colon > 0 && colon < 10 ? text.substring(0, colon) + ":" : "") + "... (not a URL; hidden)";
        }
    }
}
