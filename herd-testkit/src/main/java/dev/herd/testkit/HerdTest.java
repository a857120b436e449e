package dev.herd.testkit;

import dev.herd.testing.FakePlaces;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs each test of the annotated class (or the annotated test) against a fresh herd, started before
 * it with every link up and stopped after it. Declare a {@link Herd} parameter to get it, and a
 * {@link FakePlaces} parameter to have the herd ask a fake Places server instead of the offline data.
 *
 * <pre>{@code
 * @HerdTest
 * class PropagationTest {
 *     @Test
 *     void reachesTheFarthestServer(Herd herd) {
 *         String at = herd.client("Hill").iamat("kiwi", "+34.068930-118.445127", "1621464827.959498503");
 *         herd.awaitRecord("Campbell", "kiwi", at, Duration.ofSeconds(5));
 *     }
 * }
 * }</pre>
 *
 * <p>For options (another topology, timeouts) register {@link HerdExtension} in a field instead.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(HerdExtension.class)
public @interface HerdTest {
    /**
     * The topology, as JSON in the {@code --config} format, or {@code classpath:NAME} for such a file on
     * the test class path; empty for the default five-server herd.
     */
    String topology() default "";
}
