package org.rheumalens.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A small CSV file read whole (RFC 4180: a header row, commas, double quotes around fields that hold commas, quotes
 * or line breaks), with errors that name the file and the line a user would look at.
 */
public final class CsvTable {

  private final String source;
  private final List<String> header;
  private final List<List<String>> rows;
  private final int[] lines;

  private CsvTable(String source, List<String> header, List<List<String>> rows, int[] lines) {
    this.source = source;
    this.header = List.copyOf(header);
    this.rows = rows.stream().map(List::copyOf).toList();
    this.lines = lines;
  }

  /** Reads {@code file} as UTF-8 (a byte-order mark is skipped); messages name the file as given. */
  public static CsvTable read(Path file) throws IOException {
    return parse(file.toString(), decode(Files.readAllBytes(file)));
  }

  /**
   * UTF-8, or Windows-1252 where the bytes are not UTF-8: spreadsheets on Windows save CSV that way, and a centre
   * named "Malmö" must not stop a cohort from loading.
   */
  private static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return new String(bytes, java.nio.charset.Charset.forName("windows-1252"));
    }
  }

  /**
   * Parses CSV text. Blank lines are skipped; spaces around unquoted fields are dropped, while quoted fields are
   * kept exactly. Every row must have as many fields as the header.
   *
   * @param source what to call the text in error messages, usually its file name
   */
  public static CsvTable parse(String source, String text) {
    List<List<String>> records = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    new Parser(source, text).parse(records, starts);
    if (records.isEmpty()) {
      throw new IllegalArgumentException(source + " is empty; it needs a header row naming its columns");
    }
    List<String> header = records.get(0);
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).isEmpty()) {
        throw new IllegalArgumentException(source + ": column " + (i + 1) + " of the header has no name");
      }
      if (header.subList(0, i).contains(header.get(i))) {
        throw new IllegalArgumentException(source + ": the header names column '" + header.get(i) + "' twice");
      }
    }
    for (int r = 1; r < records.size(); r++) {
      if (records.get(r).size() != header.size()) {
        throw new IllegalArgumentException(source + " line " + starts.get(r) + " has " + records.get(r).size()
            + " fields; the header has " + header.size() + " (" + String.join(", ", header) + ")");
      }
    }
    int[] lines = starts.subList(1, starts.size()).stream().mapToInt(Integer::intValue).toArray();
    return new CsvTable(source, header, records.subList(1, records.size()), lines);
  }

  /** The file name (or other source) this table was read from, for messages. */
  public String source() {
    return source;
  }

  public List<String> header() {
    return header;
  }

  /** Data rows (the header excluded), each as long as the header. */
  public List<List<String>> rows() {
    return rows;
  }

  public int size() {
    return rows.size();
  }

  /** The line of the file on which data row {@code row} (0-based) starts, counting the header as line 1. */
  public int line(int row) {
    return lines[row];
  }

  /** The index of a column; the error lists the columns there are, so that a typo is easy to see. */
  public int column(String name) {
    int index = header.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException(
          source + " has no column '" + name + "'; its columns are: " + String.join(", ", header));
    }
    return index;
  }

  public String value(int row, String column) {
    return rows.get(row).get(column(column));
  }

  /** The table as CSV text, quoting only the fields that need it; {@link #parse} reads it back unchanged. */
  public String toCsv() {
    StringBuilder out = new StringBuilder();
    appendRecord(out, header);
    rows.forEach(row -> appendRecord(out, row));
    return out.toString();
  }

  /** A table from values, e.g. to write one; the same checks as parsing apply. */
  public static CsvTable of(String source, List<String> header, List<List<String>> rows) {
    StringBuilder text = new StringBuilder();
    appendRecord(text, header);
    rows.forEach(row -> appendRecord(text, row));
    return parse(source, text.toString());
  }

  private static void appendRecord(StringBuilder out, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      String f = fields.get(i);
      boolean quote = f.isEmpty() && fields.size() == 1 || f.indexOf(',') >= 0 || f.indexOf('"') >= 0
          || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0 || !f.equals(f.strip());
      out.append(quote ? '"' + f.replace("\"", "\"\"") + '"' : f);
    }
    out.append('\n');
  }

  /** One pass over the text; kept apart so that the table itself holds no parsing state. */
  private static final class Parser {
    private final String source;
    private final String text;
    /** ',' unless the header line has none and uses ';' (European spreadsheets) or tabs instead. */
    private final char delimiter;
    private int pos;
    private int line = 1;

    Parser(String source, String text) {
      this.source = source;
      this.text = text;
      this.pos = text.startsWith("\uFEFF") ? 1 : 0;
      int end = text.indexOf('\n', pos);
      String header = end < 0 ? text.substring(pos) : text.substring(pos, end);
      this.delimiter = header.indexOf(',') >= 0 ? ',' : header.indexOf(';') >= 0 ? ';' : header.indexOf('\t') >= 0 ? '\t' : ',';
    }

    void parse(List<List<String>> records, List<Integer> starts) {
      while (pos < text.length()) {
        int start = line;
        List<String> record = new ArrayList<>();
        boolean anyQuoted = false;
        while (true) {
          boolean quoted = skipSpaces() == '"';
          anyQuoted |= quoted;
          record.add(quoted ? quotedField() : plainField());
          if (pos >= text.length()) {
            break;
          }
          char c = text.charAt(pos);
          if (c == delimiter) {
            pos++;
            continue;
          }
          endOfLine();
          break;
        }
        boolean blank = record.size() == 1 && record.get(0).isEmpty() && !anyQuoted;
        if (!blank) {
          records.add(Collections.unmodifiableList(record));
          starts.add(start);
        }
      }
    }

    private char skipSpaces() {
      while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t' && delimiter != '\t')) {
        pos++;
      }
      return pos < text.length() ? text.charAt(pos) : 0;
    }

    private String plainField() {
      int from = pos;
      while (pos < text.length() && text.charAt(pos) != delimiter && text.charAt(pos) != '\r' && text.charAt(pos) != '\n') {
        pos++;
      }
      return text.substring(from, pos).strip();
    }

    private String quotedField() {
      int opened = line;
      pos++;
      StringBuilder value = new StringBuilder();
      while (true) {
        if (pos >= text.length()) {
          throw new IllegalArgumentException(
              source + ": the quote opened on line " + opened + " is never closed");
        }
        char c = text.charAt(pos++);
        if (c == '"') {
          if (pos < text.length() && text.charAt(pos) == '"') {
            value.append('"');
            pos++;
          } else {
            break;
          }
        } else {
          if (c == '\n' || c == '\r' && (pos >= text.length() || text.charAt(pos) != '\n')) {
            line++;
          }
          value.append(c);
        }
      }
      // Anything between the closing quote and the next comma is kept rather than refused: spreadsheets write it.
      String rest = plainField();
      return rest.isEmpty() ? value.toString() : value + rest;
    }

    private void endOfLine() {
      if (text.charAt(pos) == '\r') {
        pos++;
      }
      if (pos < text.length() && text.charAt(pos) == '\n') {
        pos++;
      }
      line++;
    }
  }
}
