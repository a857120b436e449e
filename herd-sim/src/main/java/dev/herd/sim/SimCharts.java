package dev.herd.sim;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** PNG charts: of one run (time to reach every server, load per server) and of a table of runs. */
final class SimCharts {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 400;

    private SimCharts() {
    }

    /** One run: the distribution of the time to reach every running server, and update messages received per server. */
    static void ofRun(SimReport report, Path png) throws IOException {
        XYChart reach = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Time to reach every server: " + report.servers() + " servers, " + report.options().topology())
                .xAxisTitle("ms from the first server to the last").yAxisTitle("updates (cumulative %)").build();
        reach.getStyler().setLegendVisible(false);
        reach.getStyler().setMarkerSize(0);
        reach.getStyler().setYAxisDecimalPattern("0");
        reach.getStyler().setYAxisTickMarkSpacingHint(60);
        double[] ms = report.spreadMillis();
        double[] percent = new double[ms.length];
        for (int i = 0; i < ms.length; i++) {
            percent[i] = 100.0 * (i + 1) / ms.length;
        }
        reach.addSeries("reach all", ms.length == 0 ? new double[] {0} : ms, ms.length == 0 ? new double[] {0} : percent);
        XYChart load = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Update messages received per server")
                .xAxisTitle("server (topology order)").yAxisTitle("messages").build();
        load.getStyler().setLegendVisible(false);
        load.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        double[] index = new double[report.servers()];
        double[] received = new double[report.servers()];
        for (int s = 0; s < report.servers(); s++) {
            index[s] = s;
            received[s] = report.receivedPerServer()[s];
        }
        load.addSeries("received", index, received);
        List<Chart<?, ?>> charts = List.of(reach, load);
        BitmapEncoder.saveBitmap(charts, 1, 2, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * A table of runs: for each topology (a series), a value per herd size (a category), e.g. update
     * messages per update divided by the optimum.
     */
    static void ofTable(String title, String yAxis, Map<String, Map<Integer, Double>> byTopology, Path png) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(2 * WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("servers").yAxisTitle(yAxis).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setAvailableSpaceFill(0.8);
        byTopology.forEach((topology, values) -> {
            List<String> sizes = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            values.forEach((n, y) -> {
                sizes.add(Integer.toString(n));
                ys.add(y);
            });
            chart.addSeries(topology, sizes, ys);
        });
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
