package org.example.lb.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.node.ProcStat;
import org.example.lb.lab.node.ProcessStopper;
import org.example.lb.lab.state.Journal;
import org.example.lb.lab.state.LabLock;
import org.example.lb.lab.state.LabPaths;
import org.example.lb.lab.state.Resource;

/**
 * Removes everything the journal records, newest first: processes (by PID and start time), then
 * namespaces (their veths and the switch's bridges go with them), then directories. Each resource
 * leaves the journal once it is gone, so an interrupted {@code down} can simply be run again. With
 * no journal there is nothing to do.
 */
public final class LabDown {
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final LabPaths paths;
  private final PrintStream out;

  public LabDown(LabPaths paths, PrintStream out) {
    this.paths = paths;
    this.out = out;
  }

  /** Takes the lab lock and tears down; returns the exit code. */
  public int run() throws IOException {
    Optional<LabLock> lock = LabLock.tryAcquire(paths.lock());
    if (lock.isEmpty()) {
      throw new ServiceMain.UserError("another bin/lab up or down is running (pid " + LabLock.holder(paths.lock())
          + "); wait for it to finish");
    }
    try {
      boolean clean = tearDown();
      if (clean) {
        lock.get().closeAndDelete();
      }
      return clean ? 0 : 1;
    } finally {
      lock.get().close();
    }
  }

  /** Tears down under a lock the caller holds. Returns true when nothing is left. */
  boolean tearDown() throws IOException {
    Optional<Journal> opened = Journal.open(paths.journal());
    if (opened.isEmpty()) {
      removeEmptyStateDir();
      out.println("no lab is up (no " + paths.journal() + "): nothing to do");
      return true;
    }
    Journal journal = opened.get();
    journal.phase("tearing-down");
    long startNanos = System.nanoTime();
    List<String> problems = new ArrayList<>();

    List<Resource.Process> processes = new ArrayList<>(journal.state().processes());
    java.util.Collections.reverse(processes);
    List<Resource.Process> unstarted = processes.stream().filter(p -> p.pid() == 0).toList();
    unstarted.forEach(journal::forget);
    List<Resource.Process> started = processes.stream().filter(p -> p.pid() > 0).toList();
    int alive = (int) started.stream().filter(p -> ProcStat.alive(p.pid(), p.startTime())).count();
    List<Resource.Process> stuck = ProcessStopper.stop(started, GRACE, journal::forget, out::println);
    for (Resource.Process p : stuck) {
      problems.add(p.node() + ": " + p.service() + " (pid " + p.pid() + ") survived KILL");
    }

    Set<Long> recorded = new HashSet<>();
    started.forEach(p -> recorded.add(p.pid()));
    for (String ns : journal.state().namespaces()) {
      for (long pid : Netns.pids(ns)) {
        if (!recorded.contains(pid)) {
          String what = ProcStat.read(pid).map(ProcStat::command).orElse("?");
          out.println("warning: process " + pid + " (" + what + ") in namespace " + ns
              + " was not started by the lab; not stopped (the namespace lives on until it exits)");
        }
      }
    }
    for (Resource.Process p : unstarted) {
      out.println("warning: " + p.node() + ": " + p.service() + " was being started when the lab stopped;"
          + " its PID was never recorded");
    }

    List<Resource> rest = new ArrayList<>(journal.state().resources());
    java.util.Collections.reverse(rest);
    int namespaces = 0;
    for (Resource r : rest) {
      if (r instanceof Resource.Namespace ns) {
        try {
          Netns.delete(ns.name());
          journal.forget(r);
          namespaces++;
        } catch (LabFailure e) {
          problems.add(e.getMessage());
        }
      }
    }
    int directories = 0;
    for (Resource r : rest) {
      try {
        switch (r) {
          case Resource.Directory d when !d.path().equals(paths.stateDir().toString()) -> {
            deleteOwned(Path.of(d.path()));
            journal.forget(r);
            directories++;
          }
          case Resource.HostDirectory d -> {
            if (deleteIfEmpty(Path.of(d.path()))) {
              directories++;
            } else {
              out.println("note: left " + d.path() + " in place: it is not empty");
            }
            journal.forget(r);
          }
          default -> { }
        }
      } catch (IOException | LabFailure e) {
        problems.add("cannot remove " + r + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      journal.phase("failed");
      problems.forEach(p -> out.println("error: " + p));
      out.println("lab partly torn down; what is left is recorded in " + paths.journal() + "; run bin/lab down again");
      return false;
    }
    deleteOwned(paths.stateDir());
    out.printf("lab down: stopped %d processes, removed %d namespaces and %d directories in %.1fs%n",
        alive, namespaces, directories + 1, (System.nanoTime() - startNanos) / 1e9);
    return true;
  }

  private void removeEmptyStateDir() throws IOException {
    Path dir = paths.stateDir();
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.allMatch(p -> p.getFileName().toString().equals("state.json.tmp"))) {
        deleteOwned(dir);
      } else {
        out.println("note: " + dir + " exists without " + paths.journal().getFileName() + "; left in place");
      }
    }
  }

  /** Deletes a tree, but only under the lab's state directory or a node's /etc/netns entry. */
  private void deleteOwned(Path dir) throws IOException {
    Path normal = dir.toAbsolutePath().normalize();
    boolean owned = normal.equals(paths.stateDir()) || normal.startsWith(paths.stateDir())
        || (normal.startsWith(paths.etcNetns()) && normal.getNameCount() > paths.etcNetns().getNameCount());
    if (!owned) {
      throw new LabFailure("refusing to delete " + normal + ": not a lab directory");
    }
    if (!Files.exists(normal, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(normal, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static boolean deleteIfEmpty(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        return false;
      }
    }
    Files.deleteIfExists(dir);
    return true;
  }
}
