package dev.herd.testing;

import org.junit.jupiter.api.Test;

import static dev.herd.testing.HerdAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplyAssertTest {
    private static final String AT = "AT Hill +0.263873386 kiwi +34.068930-118.445127 1621464827.959498503";
    private static final String WHATSAT = AT + "\n{\n   \"results\" : [\n      {\n         \"name\" : \"Westwood\"\n      }\n   ],\n"
            + "   \"status\" : \"OK\"\n}\n\n";

    @Test
    void passesOnMatchingReplies() {
        assertThat(AT).isAt().fromServer("Hill").forClient("kiwi").withLocation("+34.068930-118.445127")
                .withClientTime("1621464827.959498503");
        assertThat("? WHATSAT kiwi 51 5\n").isInvalidEcho("WHATSAT kiwi 51 5");
        assertThat(WHATSAT).hasPlaces().withResultCount(1).withStatus("OK").containsPlace("Westwood").endsWithBlankLine();
    }

    @Test
    void failsWithAMessageThatSaysWhy() {
        assertThatThrownBy(() -> assertThat(AT).isAt().fromServer("Smith"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("server").hasMessageContaining("Smith");
        assertThatThrownBy(() -> assertThat("? x").isAt()).isInstanceOf(AssertionError.class).hasMessageContaining("AT line");
        assertThatThrownBy(() -> assertThat(AT).isInvalidEcho("IAMAT kiwi")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertThat(WHATSAT).hasPlaces().withResultCount(5))
                .isInstanceOf(AssertionError.class).hasMessageContaining("5 results");
        assertThatThrownBy(() -> assertThat(WHATSAT.replace("}\n\n", "}\n")).hasPlaces().endsWithBlankLine())
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertThat(AT + "\nnot json").hasPlaces()).isInstanceOf(AssertionError.class);
    }
}
