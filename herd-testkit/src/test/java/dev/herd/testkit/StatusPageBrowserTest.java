package dev.herd.testkit;

import dev.herd.testing.LineClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The status page in a real browser: headless Chromium (Debian's chromium and chromium-driver, which
 * .ci/run installs) opens Hill's page, sees every link up, sees rates, p99 and link traffic under load,
 * sees an update arrive held by every server (as their stores say), and sees Smith's links go down when
 * Smith is killed. It leaves a screenshot of the page under load in target/status-page.png.
 */
@Timeout(120)
class StatusPageBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("HERD_CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("HERD_CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static final Duration PAGE_WAIT = Duration.ofSeconds(20);
    private static final List<String> LINKS = List.of("Hill-Jaquez", "Hill-Smith", "Jaquez-Singleton", "Smith-Campbell",
            "Smith-Singleton", "Campbell-Singleton");

    @Test
    void theStatusPageShowsTheHerdLiveAndAKilledServersLinksDown(@TempDir Path profile) throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed here (" + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install chromium"
                        + " chromium-driver (.ci/run does), or set HERD_CHROMIUM and HERD_CHROMEDRIVER");
        try (Herd herd = Herd.builder().start()) {
            herd.awaitLinksUp(Duration.ofSeconds(10));
            WebDriver browser = chromium(profile);
            try {
                browser.get(herd.adminUri("Hill").toString());
                WebDriverWait wait = new WebDriverWait(browser, PAGE_WAIT);

                wait.withMessage("every link and server shown up").until(d -> {
                    Map<String, String> links = linkStates(d);
                    return links.keySet().equals(new TreeSet<>(LINKS)) && !links.containsValue("down")
                            && serverStates(d).values().stream().allMatch("up"::equals);
                });
                assertThat(text(browser, "#summary")).contains("served by Hill", "5 of 5 servers answering", "updates flood every link");
                assertThat(text(browser, "#links tr[data-link='Hill->Jaquez']")).startsWith("Hill \u2192 Jaquezup");

                // Under load the table shows each server's rate and p99, and the links their traffic.
                LineClient hill = herd.client("Hill");
                int[] sent = {0};
                wait.withMessage("Hill's IAMAT rate, its p99 and the Hill->Jaquez link's traffic shown").until(d -> {
                    for (int i = 0; i < 20; i++) {
                        hill.iamat("runner" + sent[0]++, "+34.068930-118.445127", "1700000000");
                    }
                    return !text(d, "#servers tr[data-server='Hill'] td.iamat-rate").matches("|0|0\\.0")
                            && text(d, "#servers tr[data-server='Hill'] td.p99").startsWith("\u2264 ")
                            && text(d, "#links tr[data-link='Hill->Jaquez'] td.rate").matches("[1-9].*");
                });
                // The picture in docs/OPERATIONS.md: the herd under this load for a few seconds, every link up.
                wait.withMessage("a few seconds of Hill's load charted").until(d -> {
                    for (int i = 0; i < 20; i++) {
                        hill.iamat("runner" + sent[0]++, "+34.068930-118.445127", "1700000000");
                    }
                    Object points = ((JavascriptExecutor) d).executeScript("const p = document.querySelector("
                            + "\"#servers tr[data-server='Hill'] polyline\"); return p ? p.getAttribute('points').split(' ').length : 0;");
                    return ((Number) points).intValue() >= 6;
                });
                Path shot = Path.of("target", "status-page.png");
                Files.createDirectories(shot.getParent());
                Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

                herd.client("Campbell").iamat("kiwi", "+34.068930-118.445127", "1621464827.959498503");
                herd.awaitConverged("kiwi", Duration.ofSeconds(5));
                wait.withMessage("the update listed as held by every server").until(d -> updates(d, "kiwi").stream()
                        .anyMatch(text -> text.contains("held by Campbell, Hill, Jaquez, Singleton, Smith")));

                herd.kill("Smith");
                wait.withMessage("Smith and its three links shown down, the other links up").until(d -> {
                    Map<String, String> links = linkStates(d);
                    return "down".equals(serverStates(d).get("Smith"))
                            && "down".equals(links.get("Hill-Smith")) && "down".equals(links.get("Smith-Campbell"))
                            && "down".equals(links.get("Smith-Singleton"))
                            && "up".equals(links.get("Hill-Jaquez")) && "up".equals(links.get("Jaquez-Singleton"))
                            && "up".equals(links.get("Campbell-Singleton"));
                });
                assertThat(text(browser, "#servers tr[data-server='Smith']")).startsWith("Smithdown");
                assertThat(text(browser, "#summary")).contains("4 of 5 servers answering");
                assertThat(text(browser, "#links tr[data-link='Hill->Smith']")).startsWith("Hill \u2192 Smithdown");

                // Updates still flow around the dead server, and the page shows who holds them.
                herd.client("Hill").iamat("owl", "+34.0522-118.2437", "1621464900");
                wait.withMessage("the new update listed as held by the four live servers").until(d -> updates(d, "owl").stream()
                        .anyMatch(text -> text.contains("held by Campbell, Hill, Jaquez, Singleton")));

            } finally {
                browser.quit();
            }
        }
    }

    private static WebDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The flags keep a sandboxed, offline machine's Chromium from reaching for Google's services.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,1250", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(PAGE_WAIT).scriptTimeout(PAGE_WAIT);
        return driver;
    }

    /** The page re-draws every second, so each read is one script: a snapshot, never a stale element. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> attributes(WebDriver page, String selector, String key) {
        Object states = ((JavascriptExecutor) page).executeScript(
                "const states = {};"
                        + "document.querySelectorAll(arguments[0]).forEach(e => states[e.getAttribute(arguments[1])] = e.getAttribute('data-state'));"
                        + "return states;", selector, key);
        return new TreeMap<>((Map<String, String>) states);
    }

    private static Map<String, String> linkStates(WebDriver page) {
        return attributes(page, "#graph line[data-link]", "data-link");
    }

    private static Map<String, String> serverStates(WebDriver page) {
        return attributes(page, "#graph g[data-server]", "data-server");
    }

    /** The text of every entry of the updates list for {@code client}. */
    @SuppressWarnings("unchecked")
    private static List<String> updates(WebDriver page, String client) {
        return (List<String>) ((JavascriptExecutor) page).executeScript(
                "return [...document.querySelectorAll('#updates li')].filter(li => li.dataset.client === arguments[0])"
                        + ".map(li => li.textContent);", client);
    }

    private static String text(WebDriver page, String selector) {
        return (String) ((JavascriptExecutor) page).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", selector);
    }
}
