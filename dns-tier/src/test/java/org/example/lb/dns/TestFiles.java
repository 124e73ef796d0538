package org.example.lb.dns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writing the files a server watches (extfiles, admin_state) as tests need. */
public final class TestFiles {
  private TestFiles() {}

  /** Replaces {@code file} in one step (a dotfile renamed over it), as a careful writer does: no reader sees half. */
  public static void replace(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }
}
