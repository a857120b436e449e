package dev.herd.server.config;

import dev.herd.server.internal.Transport;
import dev.herd.server.places.HttpPlaces;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedactTest {
    private static final URI WITH_PASSWORD = URI.create("http://admin:hunter2pw@places.example:8080/nearby?key=sekrit");

    @Test
    void aUrlIsLoggedWithoutItsUserInfoOrQuery() {
        assertThat(Redact.url(WITH_PASSWORD)).isEqualTo("http://places.example:8080/nearby (credentials and query hidden)");
        assertThat(Redact.url(URI.create("https://maps.example/json"))).isEqualTo("https://maps.example/json");
        assertThat(Redact.url("http://a:hunter2pw@[broken")).doesNotContain("hunter2pw");
    }

    @Test
    void theConfigAndThePlacesSourceNeverPrintThePassword() throws Exception {
        HerdConfig config = HerdConfig.builder(Topology.defaultHerd(), "Hill").placesUrl(WITH_PASSWORD).build();
        assertThat(config.toString()).contains("places.example:8080/nearby").doesNotContain("hunter2pw", "sekrit", "admin:");
        HttpPlaces places = new HttpPlaces(WITH_PASSWORD, config.places(), Transport.NIO, Thread::new);
        try {
            assertThat(places.describe()).doesNotContain("hunter2pw", "sekrit");
        } finally {
            places.close();
        }
    }

    @Test
    void aRefusedUrlIsQuotedWithoutItsPassword() {
        assertThatThrownBy(() -> HerdConfig.builder(Topology.defaultHerd(), "Hill")
                .placesUrl(URI.create("ftp://admin:hunter2pw@x/y")).build())
                .hasMessageContaining("ftp://x/y").hasMessageNotContaining("hunter2pw");
    }
}
