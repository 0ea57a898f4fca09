package org.rheumalens.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file with a header row (RFC 4180: quoted fields, commas, quotes and line breaks inside quotes; a UTF-8 byte
 * order mark, CRLF and a trailing blank line are tolerated). Rows are numbered as a spreadsheet shows them: the header
 * is row 1, so a problem can be found where the user looks.
 */
public final class CsvTable {

  private final Path file;
  private final List<String> header;
  private final Map<String, Integer> columns;
  private final List<List<String>> rows;
  private final List<Integer> rowNumbers;

  private CsvTable(Path file, List<String> header, List<List<String>> rows, List<Integer> rowNumbers) {
    this.file = file;
    this.header = List.copyOf(header);
    this.rows = rows;
    this.rowNumbers = rowNumbers;
    this.columns = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      columns.putIfAbsent(header.get(i), i);
    }
  }

  /** Reads {@code file}; a missing file, no header or a row with more fields than the header is an IOException. */
  public static CsvTable read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": CSV file not found");
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<List<String>> records = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    parse(file, text, records, lines);
    if (records.isEmpty()) {
      throw new IOException(file + ": empty CSV (a header row naming the columns is needed)");
    }
    List<String> header = records.get(0).stream().map(String::trim).toList();
    List<List<String>> rows = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    for (int r = 1; r < records.size(); r++) {
      List<String> row = records.get(r);
      if (row.size() == 1 && row.get(0).isBlank()) {
        continue;
      }
      if (row.size() > header.size()) {
        throw new IOException(file + ": row " + (r + 1) + " has " + row.size() + " fields but the header names "
            + header.size() + " columns (an unquoted comma?)");
      }
      rows.add(row);
      numbers.add(r + 1);
    }
    return new CsvTable(file, header, rows, numbers);
  }

  private static void parse(Path file, String text, List<List<String>> records, List<Integer> lines)
      throws IOException {
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    int line = 1;
    int recordLine = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
      } else if (c == '"' && field.toString().isBlank()) {
        field.setLength(0);
        quoted = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        record.add(field.toString());
        field.setLength(0);
        records.add(record);
        lines.add(recordLine);
        record = new ArrayList<>();
        line++;
        recordLine = line;
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw new IOException(file + ": a quoted field opened on line " + recordLine + " is never closed");
    }
    if (field.length() > 0 || !record.isEmpty()) {
      record.add(field.toString());
      records.add(record);
      lines.add(recordLine);
    }
  }

  public Path file() {
    return file;
  }

  public List<String> header() {
    return header;
  }

  public boolean has(String column) {
    return columns.containsKey(column);
  }

  /** Number of data rows. */
  public int size() {
    return rows.size();
  }

  /** The spreadsheet row number of data row {@code index} (the header is row 1). */
  public int rowNumber(int index) {
    return rowNumbers.get(index);
  }

  /** The trimmed value of {@code column} in data row {@code index}; "" where the row is short. */
  public String get(int index, String column) {
    Integer c = columns.get(column);
    if (c == null) {
      throw new IllegalArgumentException(file + ": no column \"" + column + "\" (columns: " + header + ")");
    }
    List<String> row = rows.get(index);
    return c < row.size() ? row.get(c).trim() : "";
  }
}
