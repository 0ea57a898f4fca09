package org.rheumalens.oversight;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The reliability diagram and the risk-coverage curve as PNGs (XChart, headless). */
public final class OversightCharts {

  private OversightCharts() {}

  /** Observed accuracy against mean confidence per bin, before and after calibration, with the diagonal. */
  public static void writeReliability(Path png, Reliability before, Reliability after, double temperature) throws IOException {
    XYChart chart = new XYChartBuilder().width(720).height(560)
        .title(String.format(Locale.ROOT, "Reliability on val: ECE %.3f before, %.3f after temperature %.2f",
            before.ece(), after.ece(), temperature))
        .xAxisTitle("confidence of the reported grade").yAxisTitle("observed accuracy").build();
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    XYSeries ideal = chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
    ideal.setMarker(SeriesMarkers.NONE);
    addBins(chart, "before", before);
    addBins(chart, "after", after);
    write(png, chart);
  }

  /** Accuracy of the kept cases against the share kept, one line per certainty score. */
  public static void writeRiskCoverage(Path png, List<RiskCoverage> curves) throws IOException {
    XYChart chart = new XYChartBuilder().width(720).height(560)
        .title("Risk-coverage on val: keep the most certain cases")
        .xAxisTitle("coverage (share of cases kept)").yAxisTitle("accuracy of kept cases").build();
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMax(1.0);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    for (RiskCoverage curve : curves) {
      double[] x = curve.points().stream().mapToDouble(RiskCoverage.Point::coverage).toArray();
      double[] y = curve.points().stream().mapToDouble(RiskCoverage.Point::accuracy).toArray();
      chart.addSeries(String.format(Locale.ROOT, "%s (AURC %.3f)", curve.score(), curve.aurc()), x, y);
    }
    write(png, chart);
  }

  private static void addBins(XYChart chart, String name, Reliability r) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (Reliability.Bin bin : r.bins()) {
      if (bin.count() > 0) {
        x.add(bin.meanConfidence());
        y.add(bin.accuracy());
      }
    }
    chart.addSeries(String.format(Locale.ROOT, "%s (ECE %.3f)", name, r.ece()), x, y);
  }

  private static void write(Path png, XYChart chart) throws IOException {
    ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", png.toFile());
  }
}
