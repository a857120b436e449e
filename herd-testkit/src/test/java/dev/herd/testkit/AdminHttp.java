package dev.herd.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs from a server's admin endpoint, every call bounded in time. */
final class AdminHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AdminHttp() {
    }

    static HttpResponse<String> get(URI uri) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static String body(Herd herd, String server, String path) {
        HttpResponse<String> response = get(herd.adminUri(server).resolve(path));
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " on " + server + ": HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static PrometheusScrape metrics(Herd herd, String server) {
        return PrometheusScrape.parse(body(herd, server, "metrics"));
    }
}
