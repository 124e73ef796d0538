package org.example.lb.lab.node;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The deterministic download served as {@code /10M}: {@value #SIZE} bytes of a fixed xorshift64
 * stream, the same on every machine, so a download can be checked by its SHA-256.
 */
public final class Payload {
  /** 10 MiB. */
  public static final int SIZE = 10 * 1024 * 1024;
  public static final String NAME = "10M";

  private Payload() {}

  public static void write(Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      generate(out::write);
    }
  }

  /** The payload's bytes (a new array of {@link #SIZE} bytes). */
  public static byte[] bytes() {
    byte[] all = new byte[SIZE];
    int[] at = {0};
    generate((buf, off, len) -> {
      System.arraycopy(buf, off, all, at[0], len);
      at[0] += len;
    });
    return all;
  }

  /** SHA-256 (hex) of the payload, computed without a file. */
  public static String sha256() {
    MessageDigest digest = sha256Digest();
    generate((buf, off, len) -> digest.update(buf, off, len));
    return HexFormat.of().formatHex(digest.digest());
  }

  /** SHA-256 (hex) of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256Digest().digest(bytes));
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private interface Sink {
    void write(byte[] buf, int off, int len) throws IOException;
  }

  private static void generate(Sink sink) {
    byte[] chunk = new byte[64 * 1024];
    long x = 0x9E3779B97F4A7C15L;
    try {
      for (int written = 0; written < SIZE; written += chunk.length) {
        for (int i = 0; i < chunk.length; i += 8) {
          x ^= x << 13;
          x ^= x >>> 7;
          x ^= x << 17;
          for (int b = 0; b < 8; b++) {
            chunk[i + b] = (byte) (x >>> (8 * b));
          }
        }
        sink.write(chunk, 0, Math.min(chunk.length, SIZE - written));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
