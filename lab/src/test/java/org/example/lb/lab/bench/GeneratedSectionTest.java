package org.example.lb.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedSectionTest {
  private static final String B = GeneratedSection.BEGIN;
  private static final String E = GeneratedSection.END;

  @Test
  void replacesOnlyTheTextBetweenTheMarkers() {
    String before = "# Benchmarks\r\n\nhand-written, with trailing spaces   \n\n## `bin/lab bench`\n\n";
    String after = "\n\n## L7 tier\n\nmore — ünïcode, no final newline";
    String document = before + B + "\nold numbers\n" + E + after;
    String updated = GeneratedSection.replace(document, "new numbers\n");
    assertThat(updated).isEqualTo(before + B + "\nnew numbers\n" + E + after);
  }

  @Test
  void isIdempotent() {
    String document = "# Benchmarks\n\n" + B + "\nplaceholder\n" + E + "\n\n## L7\n";
    String once = GeneratedSection.replace(document, "table\n");
    assertThat(GeneratedSection.replace(once, "table\n")).isEqualTo(once);
    assertThat(GeneratedSection.replace(once, "table")).isEqualTo(once);
  }

  @Test
  void withoutMarkersItGoesBeforeTheFirstSecondLevelHeading() {
    String document = "# Benchmarks\n\nintro\n\n## L7 tier\n\ntext\n";
    String updated = GeneratedSection.replace(document, "table\n");
    assertThat(updated).isEqualTo("# Benchmarks\n\nintro\n\n" + B + "\ntable\n" + E + "\n\n## L7 tier\n\ntext\n");
    assertThat(GeneratedSection.replace(updated, "table\n")).isEqualTo(updated);
    assertThat(GeneratedSection.replace(updated, "other\n")).isEqualTo(updated.replace("table", "other"));
  }

  @Test
  void withoutMarkersOrHeadingsItIsAppended() {
    assertThat(GeneratedSection.replace("", "t\n")).isEqualTo(B + "\nt\n" + E + "\n");
    assertThat(GeneratedSection.replace("# B\nintro", "t\n")).isEqualTo("# B\nintro\n\n" + B + "\nt\n" + E + "\n");
    assertThat(GeneratedSection.replace("## first\n", "t\n")).isEqualTo(B + "\nt\n" + E + "\n\n## first\n");
  }

  @Test
  void brokenMarkersAreRefused() {
    assertThatThrownBy(() -> GeneratedSection.replace("a\n" + B + "\nx\n", "t"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("markers are broken");
    assertThatThrownBy(() -> GeneratedSection.replace(E + "\n" + B + "\n", "t")).hasMessageContaining("in that order");
    assertThatThrownBy(() -> GeneratedSection.replace(B + "\n" + E + "\n" + B + "\n" + E + "\n", "t"))
        .hasMessageContaining("once");
    assertThatThrownBy(() -> GeneratedSection.replace("", "text " + E)).hasMessageContaining("contains a marker");
  }

  @Test
  void theFileKeepsEveryOtherByte(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("benchmarks.md");
    String before = "# Benchmarks\n\nµs, –, 126 899\t\n\n";
    String after = "\n\n## DNS\n\n| a | b |\n| --- | ---: |\n";
    Files.writeString(file, before + B + "\nplaceholder\n" + E + after, StandardCharsets.UTF_8);
    LabBench.writeSection(file, "numbers\n");
    LabBench.writeSection(file, "numbers\n");
    assertThat(Files.readString(file)).isEqualTo(before + B + "\nnumbers\n" + E + after);
    try (var list = Files.list(dir)) {
      assertThat(list).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void theRepositorysBenchmarksFileHasOneGeneratedSection() throws Exception {
    String document = Files.readString(Path.of("../docs/benchmarks.md"));
    String updated = GeneratedSection.replace(document, "x\n");
    int begin = document.indexOf(B);
    assertThat(updated.substring(0, begin)).isEqualTo(document.substring(0, begin));
    assertThat(updated.substring(updated.indexOf(E))).isEqualTo(document.substring(document.indexOf(E)));
  }
}
