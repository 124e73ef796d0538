package org.example.lb.common.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A configuration the user wrote is wrong. {@link #getMessage()} is the one line shown to the user:
 * {@code FILE:LINE: FIELD: VALUE (expected: WHAT)}, with the parts that are known.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Optional<Path> file;

  public ConfigException(String message) {
    super(message, null, false, false);
    this.file = Optional.empty();
  }

  public ConfigException(Path file, int line, String message) {
    super(file + (line > 0 ? ":" + line : "") + ": " + message, null, false, false);
    this.file = Optional.of(file);
  }

  /** The file at fault, when the error comes from one. */
  public Optional<Path> file() {
    return file;
  }
}
