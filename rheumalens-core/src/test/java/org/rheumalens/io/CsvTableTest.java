package org.rheumalens.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CsvTableTest {

  @Example
  void readsQuotedFieldsWithCommasQuotesAndLineBreaks() {
    String text = "\uFEFFimage,reader,comment\r\n"
        + "knee_001.png,A,\"narrow, medial\"\r\n"
        + "\r\n"
        + "knee_002.png, B ,\"says \"\"KL2\"\"\nthen KL3\"\r\n"
        + "knee_003.png,A,\n";
    CsvTable t = CsvTable.parse("A.csv", text);
    assertThat(t.header()).containsExactly("image", "reader", "comment");
    assertThat(t.rows()).containsExactly(
        List.of("knee_001.png", "A", "narrow, medial"),
        List.of("knee_002.png", "B", "says \"KL2\"\nthen KL3"),
        List.of("knee_003.png", "A", ""));
    // Lines as an editor numbers them: the blank line 3 is skipped and the quoted line break moves the next row on.
    assertThat(t.line(0)).isEqualTo(2);
    assertThat(t.line(1)).isEqualTo(4);
    assertThat(t.line(2)).isEqualTo(6);
    assertThat(t.value(1, "reader")).isEqualTo("B");
  }

  @Example
  void aMissingColumnIsNamedWithTheFileAndTheColumnsThereAre() {
    CsvTable t = CsvTable.parse("B.csv", "image,kl\nx,1\n");
    assertThatThrownBy(() -> t.column("KL"))
        .hasMessage("B.csv has no column 'KL'; its columns are: image, kl");
  }

  @Example
  void refusesRaggedRowsNamingTheLine() {
    assertThatThrownBy(() -> CsvTable.parse("A.csv", "image,kl\nx,1\ny,2,3\n"))
        .hasMessageStartingWith("A.csv line 3 has 3 fields; the header has 2");
  }

  @Example
  void refusesAnUnclosedQuoteNamingWhereItOpened() {
    assertThatThrownBy(() -> CsvTable.parse("A.csv", "image,kl\nx,1\n\"y,2\nz,3\n"))
        .hasMessage("A.csv: the quote opened on line 3 is never closed");
  }

  @Example
  void refusesAnEmptyFileAndABadHeader() {
    assertThatThrownBy(() -> CsvTable.parse("A.csv", "\n\n")).hasMessageContaining("A.csv is empty");
    assertThatThrownBy(() -> CsvTable.parse("A.csv", "image,,kl\n")).hasMessageContaining("column 2");
    assertThatThrownBy(() -> CsvTable.parse("A.csv", "image,kl,image\n")).hasMessageContaining("'image' twice");
  }

  @Example
  void readsAFileAndNamesItInErrors() throws Exception {
    Path file = Files.createTempFile("reader", ".csv");
    try {
      Files.writeString(file, "image,kl\nx,1\n", StandardCharsets.UTF_8);
      CsvTable t = CsvTable.read(file);
      assertThat(t.size()).isEqualTo(1);
      assertThatThrownBy(() -> t.column("jsn")).hasMessageStartingWith(file + " has no column 'jsn'");
    } finally {
      Files.delete(file);
    }
  }

  @Provide
  Arbitrary<List<List<String>>> tables() {
    Arbitrary<String> field = Arbitraries.oneOf(
        Arbitraries.strings().withChars("ab,\"\n\r \t1").ofMaxLength(6),
        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8));
    return Arbitraries.integers().between(1, 5).flatMap(width -> {
      Arbitrary<List<String>> header = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(5)
          .list().ofSize(width).uniqueElements();
      Arbitrary<List<String>> row = field.list().ofSize(width);
      return header.flatMap(h -> row.list().ofMaxSize(8).map(rows -> {
        List<List<String>> all = new java.util.ArrayList<>();
        all.add(h);
        all.addAll(rows);
        return all;
      }));
    });
  }

  /** Whatever the fields hold, writing and reading again gives them back. */
  @Property
  void writingAndReadingGivesTheSameTable(@ForAll("tables") List<List<String>> table) {
    CsvTable written = CsvTable.of("t.csv", table.get(0), table.subList(1, table.size()));
    CsvTable read = CsvTable.parse("t.csv", written.toCsv());
    assertThat(read.header()).isEqualTo(table.get(0));
    // A row whose only field is empty is written quoted, so it is a row and not a blank line.
    assertThat(read.rows()).isEqualTo(table.subList(1, table.size()));
  }
}
