package org.rheumalens.eval;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rheumalens.io.CsvTable;

/**
 * Two readers' values of one column for the same cases, joined on a key column (usually the image): what agreement
 * is computed from. Values stay text until a statistic says whether it needs numbers or categories, so that an error
 * can still name the file and line of a bad value.
 *
 * @param column the compared column
 * @param first the first reader's file, as named in messages
 * @param second the second reader's file
 * @param pairs one entry per key found with a value in both files, in the first file's order
 * @param unmatched rows left out, and why
 */
public record PairedRatings(String column, String first, String second, List<Pair> pairs, Unmatched unmatched) {

  /** One case rated by both readers, with where each value came from. */
  public record Pair(String key, String first, int firstLine, String second, int secondLine) {}

  /**
   * Rows that could not be paired: rated rows whose key the other file does not rate, and rows with a blank key or
   * value (a case a reader did not rate).
   */
  public record Unmatched(int onlyInFirst, int onlyInSecond, int blankInFirst, int blankInSecond) {
    public int total() {
      return onlyInFirst + onlyInSecond + blankInFirst + blankInSecond;
    }
  }

  public PairedRatings {
    pairs = List.copyOf(pairs);
  }

  /**
   * Joins two tables on {@code key}. A key on one side only is counted, not refused; a key given twice in one file is
   * refused, since which of its values to compare would be a guess.
   */
  public static PairedRatings join(CsvTable first, CsvTable second, String key, String column) {
    Map<String, Integer> firstRows = index(first, key, column);
    Map<String, Integer> secondRows = index(second, key, column);
    int firstColumn = first.column(column);
    int secondColumn = second.column(column);
    List<Pair> pairs = new ArrayList<>();
    for (Map.Entry<String, Integer> e : firstRows.entrySet()) {
      Integer other = secondRows.get(e.getKey());
      if (other != null) {
        int row = e.getValue();
        pairs.add(new Pair(e.getKey(), first.rows().get(row).get(firstColumn), first.line(row),
            second.rows().get(other).get(secondColumn), second.line(other)));
      }
    }
    Unmatched unmatched = new Unmatched(firstRows.size() - pairs.size(), secondRows.size() - pairs.size(),
        first.size() - firstRows.size(), second.size() - secondRows.size());
    return new PairedRatings(column, first.source(), second.source(), pairs, unmatched);
  }

  /** Row index by key, for rows with both a key and a value. */
  private static Map<String, Integer> index(CsvTable table, String key, String column) {
    int keyColumn = table.column(key);
    int valueColumn = table.column(column);
    Map<String, Integer> rows = new LinkedHashMap<>();
    for (int r = 0; r < table.size(); r++) {
      List<String> row = table.rows().get(r);
      if (row.get(keyColumn).isEmpty() || row.get(valueColumn).isEmpty()) {
        continue;
      }
      Integer earlier = rows.putIfAbsent(row.get(keyColumn), r);
      if (earlier != null) {
        throw new IllegalArgumentException(table.source() + " has " + key + " '" + row.get(keyColumn)
            + "' on lines " + table.line(earlier) + " and " + table.line(r) + "; each " + key
            + " may appear once");
      }
    }
    return rows;
  }

  public int size() {
    return pairs.size();
  }

  /** Every value of both readers, first reader's first. */
  public List<String> values() {
    List<String> values = new ArrayList<>(2 * pairs.size());
    pairs.forEach(p -> values.add(p.first()));
    pairs.forEach(p -> values.add(p.second()));
    return values;
  }

  /** The first reader's values as numbers; a value that is not a number is refused with its file and line. */
  public double[] firstNumbers() {
    return pairs.stream().mapToDouble(p -> number(p.first(), first, p.firstLine(), p.key())).toArray();
  }

  /** The second reader's values as numbers; a value that is not a number is refused with its file and line. */
  public double[] secondNumbers() {
    return pairs.stream().mapToDouble(p -> number(p.second(), second, p.secondLine(), p.key())).toArray();
  }

  /** The first reader's values as indices into {@code categories}. */
  public int[] firstCategories(List<String> categories) {
    Categories lookup = new Categories(categories);
    return pairs.stream().mapToInt(p -> lookup.index(p.first(), first, p.firstLine(), p.key(), column)).toArray();
  }

  /** The second reader's values as indices into {@code categories}. */
  public int[] secondCategories(List<String> categories) {
    Categories lookup = new Categories(categories);
    return pairs.stream().mapToInt(p -> lookup.index(p.second(), second, p.secondLine(), p.key(), column)).toArray();
  }

  private double number(String value, String file, int line, String key) {
    BigDecimal parsed = AgreementKind.parseNumber(value);
    if (parsed == null) {
      throw new IllegalArgumentException(file + " line " + line + " (" + key + "): '" + value + "' in column '"
          + column + "' is not a number; numeric agreement (ICC, Bland-Altman) needs numbers in every row"
          + " (or compare the values as labels, kind categorical)");
    }
    return parsed.doubleValue();
  }

  /** Label to category index; "2.0" finds category "2", since readers' spreadsheets write numbers either way. */
  private static final class Categories {
    private final List<String> categories;
    private final Map<String, Integer> exact = new HashMap<>();
    private final Map<BigDecimal, Integer> numeric = new HashMap<>();

    Categories(List<String> categories) {
      this.categories = categories;
      for (int i = 0; i < categories.size(); i++) {
        if (exact.putIfAbsent(categories.get(i), i) != null) {
          throw new IllegalArgumentException("the classes list '" + categories.get(i) + "' twice");
        }
        BigDecimal n = AgreementKind.parseNumber(categories.get(i));
        if (n != null) {
          numeric.putIfAbsent(n.stripTrailingZeros(), i);
        }
      }
    }

    int index(String value, String file, int line, String key, String column) {
      Integer i = exact.get(value);
      if (i == null) {
        BigDecimal n = AgreementKind.parseNumber(value);
        i = n == null ? null : numeric.get(n.stripTrailingZeros());
      }
      if (i == null) {
        throw new IllegalArgumentException(file + " line " + line + " (" + key + "): '" + value + "' in column '"
            + column + "' is not one of the classes " + String.join(", ", categories));
      }
      return i;
    }
  }
}
