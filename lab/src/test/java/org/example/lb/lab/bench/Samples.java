package org.example.lb.lab.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Recorded outputs under src/test/resources/bench (see the README there). */
final class Samples {
  private Samples() {}

  static String read(String name) {
    try (InputStream in = Samples.class.getResourceAsStream("/bench/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
