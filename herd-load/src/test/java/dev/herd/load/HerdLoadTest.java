package dev.herd.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.testkit.Herd;
import dev.herd.testkit.HerdTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The load generator against a real in-process herd: every reply checked, nothing mismatched. */
@HerdTest
@Timeout(120)
class HerdLoadTest {

    private static String target(Herd herd, String name) {
        return name + "=127.0.0.1:" + herd.address(name).getPort();
    }

    @Test
    void aMixedLoadIsAnsweredWithoutErrorsAndSummedUpAsJson(Herd herd, @TempDir Path dir) throws Exception {
        Path json = dir.resolve("summary.json");
        int exit = HerdLoad.run(LoadOptions.parse(new String[] {
            "--target", target(herd, "Hill"), "--target", target(herd, "Campbell"),
            "--connections", "4", "--pipeline", "4", "--requests", "3000", "--warmup", "0.2", "--clients", "40",
            "--mix", "iamat=80,whatsat=10,bad=10", "--radius", "5", "--bound", "3", "--json", json.toString()}));
        assertThat(exit).isZero();
        JsonNode summary = new ObjectMapper().readTree(json.toFile());
        assertThat(summary.get("errors").asLong()).isZero();
        assertThat(summary.get("replies").asLong()).isGreaterThanOrEqualTo(3000);
        assertThat(summary.get("latency_us").get("p99").asLong()).isPositive();
    }

    @Test
    void propagationToTheFarthestServerIsMeasured(Herd herd) throws Exception {
        int exit = HerdLoad.run(LoadOptions.parse(new String[] {
            "--target", target(herd, "Hill"), "--target", target(herd, "Campbell"),
            "--connections", "2", "--rate", "200", "--warmup", "0.2", "--clients", "20",
            "--propagation", "Hill=Campbell", "--probes", "30"}));
        assertThat(exit).isZero();
    }

    @Test
    void refusesBadOptionsWithAMessage() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--herd", "--mix", "iamat=50"}))
                .hasMessageContaining("adds up to 50");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--target", "X=10.1.2.3:80"}))
                .hasMessageContaining("X=10.1.2.3:80 is not a loopback address (--allow-remote");
        assertThat(LoadOptions.parse(new String[] {"--target", "X=10.1.2.3:80", "--allow-remote"}).targets().get("X").getPort())
                .isEqualTo(80);
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--target", "X=no-such-host.invalid:80", "--allow-remote"}))
                .hasMessageContaining("cannot resolve no-such-host.invalid");
        assertThatThrownBy(() -> LoadOptions.parse(new String[0])).hasMessageContaining("no target");
    }
}
