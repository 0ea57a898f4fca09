package org.rheumalens.dicom.deid;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The Modified Dates option's arithmetic: one patient's dates all move by the same number of days, so intervals
 * between their studies (progression) stay true while the calendar dates no longer point at a visit.
 */
public final class DateShift {

  private DateShift() {}

  /** {@code date} moved {@code days} earlier; null when absent. */
  public static LocalDate shift(LocalDate date, int days) {
    return date == null ? null : date.minusDays(days);
  }

  /** A DICOM DA (YYYYMMDD) or DT (YYYYMMDD...) value moved {@code days} earlier; null when it is not a date. */
  public static String shift(String dicomDate, int days) {
    if (dicomDate.length() < 8) {
      return null;
    }
    try {
      LocalDate d = LocalDate.parse(dicomDate.substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE);
      return shift(d, days).format(DateTimeFormatter.BASIC_ISO_DATE) + dicomDate.substring(8);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
