package dev.herd.testkit;

import dev.herd.testing.LineClient;
import dev.herd.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static dev.herd.testing.HerdAssertions.assertThat;

/** The default herd with links cut, healed, delayed and thinned by the kit's link relays. */
@HerdTest
@Timeout(60)
class LinkFaultTest {
    private static final Duration CONVERGE = Duration.ofSeconds(5);

    @Test
    void aCutLinkIsRoutedAround(Herd herd) {
        herd.cut("Hill", "Smith");
        herd.cut("Smith", "Campbell");
        // Hill -> Jaquez -> Singleton -> Smith and -> Campbell: the long way round.
        String at = herd.client("Hill").iamat("kiwi", "+34.068930-118.445127", "1621464827.959498503");
        herd.awaitConverged("kiwi", CONVERGE);
        assertThat(herd.client("Smith").whatsat("kiwi", 10, 3)).isAt().fromServer("Hill").forClient("kiwi");
        org.assertj.core.api.Assertions.assertThat(herd.record("Campbell", "kiwi")).contains(at);
    }

    @Test
    void aWaitThatTimesOutSaysWhatEachServerHoldsAndWhichLinksAreDown(Herd herd) {
        herd.cut("Hill", "Jaquez");
        herd.cut("Hill", "Smith");
        herd.kill("Singleton");
        String at = herd.client("Hill").iamat("island", "+1+1", "100");
        Throwable timeout = org.assertj.core.api.Assertions.catchThrowable(
                () -> herd.awaitRecord("Campbell", "island", at, Duration.ofMillis(300)));
        org.assertj.core.api.Assertions.assertThat(timeout).isInstanceOf(AssertionError.class).hasMessage(
                "timed out after 300 ms waiting for Campbell to hold " + at + "; seen instead: Hill: " + at
                        + "; Jaquez: no record of island; Smith: no record of island; Campbell: no record of island;"
                        + " Singleton: stopped; links down: Hill->Jaquez (cut), Hill->Smith (cut), Jaquez->Hill (cut),"
                        + " Smith->Hill (cut)");
    }

    @Test
    void aHealedLinkConverges(Herd herd) {
        herd.cut("Hill", "Jaquez");
        herd.cut("Hill", "Smith");
        String at = herd.client("Hill").iamat("island", "+1+1", "100");
        assertThat(at).isAt().fromServer("Hill").forClient("island").withLocation("+1+1").withClientTime("100");
        org.assertj.core.api.Assertions.assertThat(herd.record("Smith", "island")).isEmpty();

        herd.heal("Hill", "Smith");
        herd.heal("Hill", "Jaquez");
        // Hill kept the update for its peers while they were unreachable and sends it once back.
        herd.awaitConverged("island", Duration.ofSeconds(10));
        assertThat(herd.client("Campbell").whatsat("island", 1, 1)).hasPlaces().endsWithBlankLine();
    }

    @Test
    void aDelayedLinkDoesNotDelayClients(Herd herd) {
        herd.delay("Hill", "Jaquez", Duration.ofMillis(1500));
        herd.delay("Hill", "Smith", Duration.ofMillis(1500));
        LineClient client = herd.client("Hill");
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            String at = client.iamat("fast" + i, "+2+2", String.valueOf(200 + i));
            assertThat(at).isAt().fromServer("Hill").forClient("fast" + i);
            // Far below the link delay: the reply never waits for the flood.
            org.assertj.core.api.Assertions.assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofMillis(750));
        }
        org.assertj.core.api.Assertions.assertThat(herd.record("Jaquez", "fast0")).isEmpty();
        herd.awaitConverged("fast19", CONVERGE);
    }

    @Test
    void updatesLostOnOneLinkArriveByAnother(Herd herd) {
        herd.drop("Hill", "Smith", 1.0);
        for (int i = 0; i < 10; i++) {
            herd.client("Hill").iamat("lossy" + i, "+3+3", String.valueOf(300 + i));
        }
        for (int i = 0; i < 10; i++) {
            herd.awaitConverged("lossy" + i, CONVERGE);
        }
    }

    @Test
    void aRestartedServerIsCaughtUpWithWhatTheHerdKnewBeforeItDied(Herd herd) {
        String before = herd.client("Campbell").iamat("old-news", "+5+5", "500");
        herd.awaitConverged("old-news", CONVERGE);
        herd.kill("Smith");
        herd.restart("Smith");
        // Smith comes back with an empty store; its peers send it everything they hold.
        herd.awaitRecord("Smith", "old-news", before, Duration.ofSeconds(10));
        assertThat(herd.client("Smith").whatsat("old-news", "1", 1)).isAt().fromServer("Campbell").forClient("old-news");
    }

    @Test
    void aHealthyLinkThatReconnectsDoesNotResendTheStore(Herd herd) {
        for (int i = 0; i < 20; i++) {
            herd.client("Hill").iamat("settled" + i, "+6+6", String.valueOf(600 + i));
        }
        for (int i = 0; i < 20; i++) {
            herd.awaitConverged("settled" + i, CONVERGE);
        }
        herd.cut("Jaquez", "Singleton");
        herd.heal("Jaquez", "Singleton");
        herd.awaitLinksUp(Duration.ofSeconds(10));
        Wait.until("Jaquez to see that Singleton already holds its records", Duration.ofSeconds(10),
                () -> herd.log("Jaquez").contains("peer link to Singleton: its 20 records match"));
    }

    @Test
    void aLinkThatCarriesNothingIsFoundDeadByItsProbeAndReopened(Herd herd) {
        // Every line dropped, connections kept open: a dead path TCP would not notice for many minutes.
        herd.silence("Hill", "Smith");
        Wait.until("Hill to close its link to Smith for want of an answer to its probe", Duration.ofSeconds(20),
                () -> herd.log("Hill").contains("peer link to Smith at ") && herd.log("Hill").contains("no answer to a probe"));
        Wait.until("Hill's link to Smith to be reopened", Duration.ofSeconds(10),
                () -> herd.log("Hill").contains("peer link to Smith at") && herd.log("Hill").lines()
                        .dropWhile(line -> !line.contains("no answer to a probe")).anyMatch(line -> line.contains("peer link to Smith at")
                                && line.contains(" open")));
        herd.heal("Hill", "Smith");
        herd.awaitLinksUp(Duration.ofSeconds(15));
    }

    @Test
    void aKilledServerIsRoutedAroundAndCatchesUpAfterRestart(Herd herd) {
        herd.kill("Smith");
        String at = herd.client("Hill").iamat("moving", "+10+10", "1000");
        herd.awaitRecord("Campbell", "moving", at, CONVERGE);
        herd.restart("Smith");
        herd.awaitLinksUp(Duration.ofSeconds(10));
        herd.awaitRecord("Smith", "moving", at, Duration.ofSeconds(10));
    }
}
