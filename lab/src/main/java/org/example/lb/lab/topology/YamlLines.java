package org.example.lb.lab.topology;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The line where each value of a YAML document starts, by path ({@code groups[2].links[0].host}),
 * so errors found after binding can still name the line.
 */
final class YamlLines {
  private final Map<String, Integer> lines;

  private YamlLines(Map<String, Integer> lines) {
    this.lines = lines;
  }

  static YamlLines read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      return new YamlLines(Map.of());
    }
  }

  static YamlLines parse(String text) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = new YAMLFactory().createParser(text)) {
      // Each open container remembers its path and, for arrays, the next index.
      Deque<String> paths = new ArrayDeque<>();
      Deque<int[]> indexes = new ArrayDeque<>();
      String field = null;
      JsonToken token;
      while ((token = p.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME) {
          field = p.currentName();
          continue;
        }
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          paths.pop();
          indexes.pop();
          field = null;
          continue;
        }
        String parent = paths.isEmpty() ? "" : paths.peek();
        String path;
        if (indexes.isEmpty() || indexes.peek()[0] < 0) {
          path = field == null ? parent : (parent.isEmpty() ? field : parent + "." + field);
        } else {
          path = parent + "[" + indexes.peek()[0]++ + "]";
        }
        lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
        if (token == JsonToken.START_OBJECT) {
          paths.push(path);
          indexes.push(new int[] {-1});
        } else if (token == JsonToken.START_ARRAY) {
          paths.push(path);
          indexes.push(new int[] {0});
        }
        field = null;
      }
    } catch (IOException | RuntimeException e) {
      // Binding already reported syntax errors; lines are best effort.
    }
    return new YamlLines(lines);
  }

  /**
   * The same error with the line of the field it names, when this document knows that field
   * (binding records reports the line where the record ends, not where the field is).
   */
  org.example.lb.common.config.ConfigException relocate(Path file, org.example.lb.common.config.ConfigException e) {
    String prefix = file.toString() + ":";
    String message = e.getMessage();
    if (!message.startsWith(prefix)) {
      return e;
    }
    int afterLine = message.indexOf(": ", prefix.length());
    if (afterLine < 0) {
      return e;
    }
    String rest = message.substring(afterLine + 2);
    int colon = rest.indexOf(": ");
    if (colon <= 0 || rest.substring(0, colon).contains(" ")) {
      return e;
    }
    Integer line = lines.get(rest.substring(0, colon));
    return line == null ? e : new org.example.lb.common.config.ConfigException(file, line, rest);
  }

  /** The line of {@code path}, or of its nearest ancestor that has one; 0 if none. */
  int lineOf(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
    return 0;
  }
}
