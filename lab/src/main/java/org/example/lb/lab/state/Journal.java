package org.example.lb.lab.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.example.lb.common.config.ConfigLoader;

/**
 * The write-ahead journal in {@code state.json}: {@link #record} writes a resource down before
 * the caller creates it, so {@code down} can remove everything even after a crash midway. Each
 * write replaces the file atomically (temporary file + rename). Not thread-safe: one writer.
 */
public final class Journal {
  private static final ObjectMapper JSON = ConfigLoader.json().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;
  private LabState state;
  private int haltAfter = -1;

  private Journal(Path file, LabState state) {
    this.file = file;
    this.state = state;
  }

  /** Starts a new journal at {@code file} (which must not exist yet) and writes it. */
  public static Journal create(Path file, LabState initial) {
    Journal journal = new Journal(file, initial);
    journal.write();
    return journal;
  }

  /** Opens the journal at {@code file}, if there is one. */
  public static Optional<Journal> open(Path file) throws IOException {
    return read(file).map(s -> new Journal(file, s));
  }

  /** Reads {@code file} without opening it for writing. */
  public static Optional<LabState> read(Path file) throws IOException {
    try {
      return Optional.of(JSON.readValue(Files.readString(file), LabState.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(file + ": unreadable lab state (" + e.getOriginalMessage()
          + "); inspect it, then remove the lab's namespaces and " + file.getParent() + " by hand", e);
    }
  }

  public synchronized LabState state() {
    return state;
  }

  public Path file() {
    return file;
  }

  /**
   * Crash simulation for tests: once the journal holds {@code count} resources, the JVM halts at
   * once (no cleanup, no shutdown hooks), as if killed.
   */
  public void haltAfter(int count) {
    this.haltAfter = count;
  }

  /** Appends {@code resource} and writes the journal; call before creating it. */
  public synchronized void record(Resource resource) {
    List<Resource> resources = new ArrayList<>(state.resources());
    resources.add(resource);
    update(s -> new LabState(s.version(), s.phase(), s.createdAt(), s.topology(), s.sizes(), s.nodes(), resources));
    if (haltAfter >= 0 && state.resources().size() >= haltAfter) {
      Runtime.getRuntime().halt(137);
    }
  }

  /** Replaces {@code old} by {@code updated} (e.g. a process once its PID is known). */
  public synchronized void replace(Resource old, Resource updated) {
    List<Resource> resources = new ArrayList<>(state.resources());
    int i = resources.indexOf(old);
    if (i < 0) {
      resources.add(updated);
    } else {
      resources.set(i, updated);
    }
    update(s -> new LabState(s.version(), s.phase(), s.createdAt(), s.topology(), s.sizes(), s.nodes(), resources));
  }

  /** Forgets {@code resource} once it is gone. */
  public synchronized void forget(Resource resource) {
    List<Resource> resources = new ArrayList<>(state.resources());
    resources.remove(resource);
    update(s -> new LabState(s.version(), s.phase(), s.createdAt(), s.topology(), s.sizes(), s.nodes(), resources));
  }

  public synchronized void phase(String phase) {
    update(s -> new LabState(s.version(), phase, s.createdAt(), s.topology(), s.sizes(), s.nodes(), s.resources()));
  }

  public synchronized void nodes(List<LabState.NodeSummary> nodes) {
    update(s -> new LabState(s.version(), s.phase(), s.createdAt(), s.topology(), s.sizes(), nodes, s.resources()));
  }

  private void update(UnaryOperator<LabState> change) {
    state = change.apply(state);
    write();
  }

  /** Removes the journal file (the last step of {@code down}). */
  public void delete() throws IOException {
    Files.deleteIfExists(file);
  }

  private void write() {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.write(tmp, JSON.writeValueAsBytes(state));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the lab journal " + file + ": " + e.getMessage(), e);
    }
  }
}
