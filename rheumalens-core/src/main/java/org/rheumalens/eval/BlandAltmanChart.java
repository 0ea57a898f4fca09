package org.rheumalens.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The Bland-Altman plot as a PNG (XChart, headless): each pair's mean against its difference, bias and limits. */
public final class BlandAltmanChart {

  private BlandAltmanChart() {}

  /**
   * Renders the plot of paired measurements; {@code firstName} and {@code secondName} label the axes, since the sign
   * of a difference depends on which reader comes first.
   */
  public static BufferedImage render(double[] first, double[] second, BlandAltman ba, String firstName,
      String secondName) {
    double[] means = new double[first.length];
    double[] differences = new double[first.length];
    for (int i = 0; i < first.length; i++) {
      means[i] = (first[i] + second[i]) / 2;
      differences[i] = first[i] - second[i];
    }
    XYChart chart = new XYChartBuilder().width(720).height(560)
        .title(String.format(Locale.ROOT, "Bland-Altman (n = %d): bias %.3g, limits of agreement [%.3g, %.3g]",
            ba.n(), ba.bias(), ba.lower(), ba.upper()))
        .xAxisTitle("mean of " + firstName + " and " + secondName)
        .yAxisTitle(firstName + " - " + secondName).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    XYSeries points = chart.addSeries("pairs", means, differences);
    points.setMarker(SeriesMarkers.CIRCLE);
    double[] span = {Arrays.stream(means).min().orElse(0), Arrays.stream(means).max().orElse(1)};
    addLevel(chart, String.format(Locale.ROOT, "bias %.3g", ba.bias()), span, ba.bias(), SeriesLines.SOLID,
        new Color(0x08, 0x30, 0x6b));
    addLevel(chart, String.format(Locale.ROOT, "bias - 1.96 SD (%.3g)", ba.lower()), span, ba.lower(),
        SeriesLines.DASH_DASH, Color.GRAY);
    addLevel(chart, String.format(Locale.ROOT, "bias + 1.96 SD (%.3g)", ba.upper()), span, ba.upper(),
        SeriesLines.DASH_DASH, Color.GRAY);
    return BitmapEncoder.getBufferedImage(chart);
  }

  /** Renders and writes a PNG to {@code file}. */
  public static void write(double[] first, double[] second, BlandAltman ba, String firstName, String secondName,
      Path file) throws IOException {
    ConfusionMatrixChart.writePng(render(first, second, ba, firstName, secondName), file);
  }

  private static void addLevel(XYChart chart, String name, double[] span, double level, BasicStroke line,
      Color color) {
    XYSeries series = chart.addSeries(name, span, new double[] {level, level});
    series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    series.setMarker(SeriesMarkers.NONE);
    series.setLineStyle(line);
    series.setLineColor(color);
  }
}
