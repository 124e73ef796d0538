package org.example.lb.lab.state;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** Something the lab creates and {@code down} removes; journaled before it is created. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Resource.Namespace.class, name = "namespace"),
    @JsonSubTypes.Type(value = Resource.Directory.class, name = "directory"),
    @JsonSubTypes.Type(value = Resource.HostDirectory.class, name = "host-directory"),
    @JsonSubTypes.Type(value = Resource.Process.class, name = "process")
})
public sealed interface Resource {
  /** A network namespace ({@code /run/netns/NAME}); deleting it removes its veths and bridges. */
  record Namespace(String name) implements Resource {}

  /** A directory the lab owns outright; removed with its content. */
  record Directory(String path) implements Resource {}

  /**
   * A directory the lab created in a shared place (such as {@code /etc/lb} or {@code /etc/netns});
   * removed only when empty.
   */
  record HostDirectory(String path) implements Resource {}

  /**
   * A long-running process. {@code pid} 0 means it was about to start when the journal was last
   * written. {@code startTime} is field 22 of {@code /proc/PID/stat}, so a reused PID is never
   * mistaken for it.
   */
  record Process(String node, String service, List<String> command, long pid, long startTime, String log)
      implements Resource {
    public Process {
      command = List.copyOf(command);
    }

    public Process started(long newPid, long newStartTime) {
      return new Process(node, service, command, newPid, newStartTime, log);
    }
  }
}
