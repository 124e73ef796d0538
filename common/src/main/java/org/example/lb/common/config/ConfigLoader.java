package org.example.lb.common.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Reads a YAML file into an immutable config record. Records validate themselves in their compact
 * constructors (see {@link Validation}); every failure becomes one {@link ConfigException} line
 * naming the file, the line, the field and what was expected. Unknown keys are errors.
 *
 * <p>An absent number is passed to the record as 0 (records treat 0 as "use the default").
 *
 * <p>Durations are written {@code 250ms}, {@code 2s}, {@code 5m} or {@code 1h}.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = newMapper(new ObjectMapper(new YAMLFactory()));

  private ConfigLoader() {}

  public static <T> T load(Path file, Class<T> type) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file, 0, "no such file (expected: a readable YAML config file)");
    } catch (IOException e) {
      throw new ConfigException(file, 0, "cannot read: " + e.getMessage() + " (expected: a readable YAML config file)");
    }
    return parse(file, text, type);
  }

  /** Parses {@code text} as if read from {@code file} (used for messages only). */
  public static <T> T parse(Path file, String text, Class<T> type) throws ConfigException {
    if (text.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
      throw new ConfigException(file, 0, "empty file (expected: a YAML mapping)");
    }
    try {
      return parseUnlocated(file, text, type);
    } catch (Located e) {
      throw new ConfigException(file, locate(text, e.message, e.jacksonLine), e.message);
    }
  }

  /** An error whose line is found afterwards from the field path at the start of its message. */
  private static final class Located extends Exception {
    private static final long serialVersionUID = 1L;
    final String message;
    final int jacksonLine;

    Located(int jacksonLine, String message) {
      super(message, null, false, false);
      this.message = message;
      this.jacksonLine = jacksonLine;
    }
  }

  /**
   * The line of the field the message starts with ({@code haproxy.binds[0]: ...}): each key of the path is looked
   * up in order, each after the previous one. Falls back to the parser's line.
   */
  static int locate(String text, String message, int fallback) {
    int colon = message.indexOf(": ");
    if (colon <= 0) {
      return fallback;
    }
    String[] lines = text.split("\\n", -1);
    java.util.regex.Matcher segments =
        java.util.regex.Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]").matcher(message.substring(0, colon));
    java.util.regex.Pattern listItem = java.util.regex.Pattern.compile("^\\s*-(\\s|$)");
    int at = 0;
    int found = -1;
    while (segments.find()) {
      int i = at;
      if (segments.group(2) != null) { // [n]: the n-th list item after the key's line
        int wanted = Integer.parseInt(segments.group(2));
        int seen = -1;
        for (i = found + 1; i < lines.length; i++) {
          if (listItem.matcher(lines[i]).find() && ++seen == wanted) {
            break;
          }
        }
      } else {
        String key = segments.group(1);
        if (key.equals("(top)")) {
          continue;
        }
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(
            "(^\\s*(-\\s+)?|[{,]\\s*)\"?" + java.util.regex.Pattern.quote(key) + "\"?\\s*:");
        while (i < lines.length && !p.matcher(lines[i]).find()) {
          i++;
        }
      }
      if (i >= lines.length) {
        break;
      }
      found = i;
      at = i;
    }
    return found >= 0 ? found + 1 : fallback;
  }

  private static <T> T parseUnlocated(Path file, String text, Class<T> type) throws ConfigException, Located {
    try {
      T value = YAML.readValue(text, type);
      if (value == null) {
        throw new ConfigException(file, 0, "empty file (expected: a YAML mapping)");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", "));
      throw new Located(line(e), path(e) + ": unknown key (expected one of: " + known + ")");
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause();
      String message = cause instanceof IllegalArgumentException && cause.getMessage() != null
          ? qualify(e, cause.getMessage())
          : path(e) + ": " + (cause == null ? e.getOriginalMessage() : cause.getMessage());
      throw new Located(line(e), message);
    } catch (InvalidFormatException e) {
      throw new Located(line(e), path(e) + ": " + describe(e.getValue())
          + " (expected: " + expectedFor(e.getTargetType()) + ")");
    } catch (MismatchedInputException e) {
      throw new Located(line(e), path(e) + ": wrong type (expected: "
          + expectedFor(e.getTargetType()) + ")");
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      String why = cause instanceof IllegalArgumentException && cause.getMessage() != null
          ? qualify(e, cause.getMessage()) : path(e) + ": " + e.getOriginalMessage();
      throw new Located(line(e), why);
    } catch (JsonProcessingException e) {
      throw new Located(line(e), "not valid YAML: " + oneLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ConfigException(file, 0, "cannot parse: " + e.getMessage());
    }
  }

  /** Makes a nested record's own "field: ..." message carry the full path, e.g. {@code agent.port: ...}. */
  private static String qualify(JsonMappingException e, String message) {
    String parent = path(e);
    if (parent.isEmpty() || parent.equals("(top)")) {
      return message;
    }
    return parent + "." + message;
  }

  /** The YAML parser's multi-line explanation, without its excerpt and caret lines. */
  private static String oneLine(String message) {
    return message == null ? "" : message.lines()
        .filter(l -> !l.isBlank() && !l.startsWith(" "))
        .map(String::strip)
        .collect(Collectors.joining("; "));
  }

  private static String describe(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  private static String expectedFor(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == Duration.class) {
      return "a duration such as 500ms, 2s or 1m";
    }
    if (type.isEnum()) {
      return "one of " + java.util.Arrays.stream(type.getEnumConstants())
          .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
    }
    if (java.util.List.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (type == String.class) {
      return "a string";
    }
    return "a " + type.getSimpleName() + " mapping";
  }

  private static int line(JsonProcessingException e) {
    JsonLocation location = e.getProcessor() instanceof JsonParser p ? p.currentTokenLocation() : e.getLocation();
    return location == null ? 0 : location.getLineNr();
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "(top)" : sb.toString();
  }

  /** Configures a mapper the way every config of the project is read; also used for JSON status output. */
  public static <M extends ObjectMapper> M newMapper(M mapper) {
    SimpleModule durations = new SimpleModule("lb-durations");
    durations.addDeserializer(Duration.class, new DurationDeserializer());
    mapper.registerModule(durations);
    mapper.registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module());
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    mapper.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);
    mapper.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    mapper.configure(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY, false);
    mapper.configure(DeserializationFeature.WRAP_EXCEPTIONS, true);
    mapper.configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true);
    return mapper;
  }

  /** A JSON mapper with the same rules, for status views. */
  public static ObjectMapper json() {
    return newMapper(JsonMapper.builder().build());
  }

  /** Parses {@code 250ms}, {@code 2s}, {@code 5m}, {@code 1h}; bare integers are milliseconds. */
  public static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      }
      if (t.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      }
      return Duration.ofMillis(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + text + "\" (expected: a duration such as 500ms, 2s or 1m)");
    }
  }

  private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
    private static final long serialVersionUID = 1L;

    DurationDeserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.getValueAsString();
      if (text == null) {
        return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
      }
      try {
        return parseDuration(text);
      } catch (IllegalArgumentException e) {
        throw InvalidFormatException.from(p, "bad duration", text, Duration.class);
      }
    }
  }
}
