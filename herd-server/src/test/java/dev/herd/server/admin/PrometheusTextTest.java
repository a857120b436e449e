package dev.herd.server.admin;

import dev.herd.server.metrics.LatencyHistogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {
    @Test
    void labelValuesAndHelpAreEscapedAsTheFormatSays() {
        String text = new PrometheusText()
                .family("x_total", "counter", "a \\ and a\nnew line")
                .sample("x_total", 3, "peer", "a\"b\\c\nd", "kind", "plain")
                .text();
        assertThat(text).isEqualTo("# HELP x_total a \\\\ and a\\nnew line\n# TYPE x_total counter\n"
                + "x_total{peer=\"a\\\"b\\\\c\\nd\",kind=\"plain\"} 3\n");
    }

    @Test
    void numbersAreSpelledAsPrometheusReadsThem() {
        assertThat(PrometheusText.number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusText.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(PrometheusText.number(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusText.number(10)).isEqualTo("10");
        assertThat(PrometheusText.number(0.0025)).isEqualTo("0.0025");
        assertThat(PrometheusText.number(1.795332481226E9)).isEqualTo("1795332481.226");
    }

    @Test
    void aHistogramsBucketsAreCumulativeAndEndInItsCount() {
        LatencyHistogram h = new LatencyHistogram(new double[] {0.001, 0.01});
        h.record(500_000);      // 0.5 ms
        h.record(5_000_000);    // 5 ms
        h.record(2_000_000_000); // 2 s
        PrometheusText out = new PrometheusText().family("d_seconds", "histogram", "d");
        out.histogram("d_seconds", h.snapshot(), "source", "offline");
        assertThat(out.text()).contains(
                "d_seconds_bucket{source=\"offline\",le=\"0.001\"} 1\n",
                "d_seconds_bucket{source=\"offline\",le=\"0.01\"} 2\n",
                "d_seconds_bucket{source=\"offline\",le=\"+Inf\"} 3\n",
                "d_seconds_sum{source=\"offline\"} 2.0055\n",
                "d_seconds_count{source=\"offline\"} 3\n");
    }
}
