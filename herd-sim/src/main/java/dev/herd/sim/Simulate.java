package dev.herd.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * {@code ./herd simulate}: parses the options, runs one {@link Simulation}, prints its report. Exit 0
 * when every update reached every running server, 1 when some did not, 2 for bad options.
 */
public final class Simulate {
    private Simulate() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        SimOptions options;
        try {
            options = SimOptions.parse(args);
        } catch (SimOptions.HelpRequested help) {
            System.out.print(SimOptions.HELP);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("herd simulate: " + e.getMessage());
            return 2;
        }
        SimReport report;
        try {
            report = new Simulation(options).run();
        } catch (IllegalArgumentException e) {
            System.err.println("herd simulate: " + e.getMessage());
            return 2;
        }
        StringBuilder out = new StringBuilder();
        for (SimOptions.Format format : options.formats()) {
            out.append(format == SimOptions.Format.TEXT ? report.text() : report.json());
        }
        System.out.print(out);
        if (options.output() != null) {
            try {
                Files.writeString(options.output(), out, StandardCharsets.UTF_8);
            } catch (IOException e) {
                System.err.println("herd simulate: cannot write " + options.output() + ": " + e.getMessage());
                return 2;
            }
        }
        if (options.chart() != null) {
            try {
                SimCharts.ofRun(report, options.chart());
            } catch (IOException e) {
                System.err.println("herd simulate: cannot write " + options.chart() + ": " + e.getMessage());
                return 2;
            }
        }
        return report.allArrived() ? 0 : 1;
    }
}
