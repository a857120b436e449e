package dev.herd.testkit;

import dev.herd.testing.FakePlaces;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The JUnit 5 extension behind {@link HerdTest}: a fresh herd for every test, every link up before the
 * test starts, everything stopped after it. Register it in a field for options:
 *
 * <pre>{@code
 * @RegisterExtension
 * static HerdExtension herd = HerdExtension.configure(b -> b.topologyJson(MY_TOPOLOGY).placesTimeout(Duration.ofSeconds(1)));
 * }</pre>
 *
 * Tests get the running {@link Herd} (and, if they ask for one, the {@link FakePlaces} the herd uses)
 * as parameters.
 */
public final class HerdExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HerdExtension.class);
    private static final Duration LINKS_UP = Duration.ofSeconds(10);

    private final Consumer<HerdBuilder> options;

    /** What {@link HerdTest} uses: the default herd, or the annotation's topology. */
    public HerdExtension() {
        this(builder -> { });
    }

    private HerdExtension(Consumer<HerdBuilder> options) {
        this.options = options;
    }

    /** An extension whose herds are built with {@code options} applied to {@link Herd#builder()}. */
    public static HerdExtension configure(Consumer<HerdBuilder> options) {
        return new HerdExtension(options);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        HerdBuilder builder = Herd.builder();
        topology(context).ifPresent(builder::topologyJson);
        if (wantsFakePlaces(context)) {
            FakePlaces places = FakePlaces.start();
            store.put("places", places);
            builder.placesUrl(places.url());
        }
        options.accept(builder);
        Herd herd = builder.start();
        store.put("herd", herd);
        herd.awaitLinksUp(LINKS_UP);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Herd herd = store.remove("herd", Herd.class);
        FakePlaces places = store.remove("places", FakePlaces.class);
        try {
            if (herd != null) {
                herd.close();
            }
        } finally {
            if (places != null) {
                places.close();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Herd.class || type == FakePlaces.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        Object value = context.getStore(NAMESPACE).get(type == Herd.class ? "herd" : "places");
        if (value == null) {
            throw new ParameterResolutionException("no " + type.getSimpleName() + " for this test");
        }
        return value;
    }

    private static boolean wantsFakePlaces(ExtensionContext context) {
        return context.getTestMethod()
                .map(m -> Arrays.stream(m.getParameterTypes()).anyMatch(t -> t == FakePlaces.class))
                .orElse(false);
    }

    private static Optional<String> topology(ExtensionContext context) {
        Optional<HerdTest> annotation = context.getTestMethod().map(m -> m.getAnnotation(HerdTest.class))
                .or(() -> context.getTestClass().map(c -> c.getAnnotation(HerdTest.class)));
        return annotation.map(HerdTest::topology).filter(t -> !t.isEmpty()).map(t -> resolve(t, context));
    }

    private static String resolve(String topology, ExtensionContext context) {
        if (!topology.startsWith("classpath:")) {
            return topology;
        }
        String name = topology.substring("classpath:".length());
        ClassLoader loader = context.getRequiredTestClass().getClassLoader();
        try (InputStream in = loader.getResourceAsStream(name.startsWith("/") ? name.substring(1) : name)) {
            if (in == null) {
                throw new IllegalArgumentException("@HerdTest topology: no resource " + name + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
