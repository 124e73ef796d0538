package org.example.lb.lab.node;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.example.lb.lab.LabFailure;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.state.Journal;
import org.example.lb.lab.state.Resource;

/**
 * Starts long-running services inside node namespaces: {@code setsid ip netns exec NODE CMD}, so
 * the PID is the command's own (setsid and ip exec into it), it has its own session and outlives
 * {@code bin/lab}, and it sees the node's /etc/lb. stdout and stderr go to a log file. The process
 * is journaled before it starts and its PID and start time right after.
 */
public final class ServiceLauncher {
  private final Journal journal;
  private final Map<String, String> environment;

  public ServiceLauncher(Journal journal, Map<String, String> environment) {
    this.journal = journal;
    this.environment = Map.copyOf(environment);
  }

  public Resource.Process start(String node, String service, List<String> command, Path log) {
    List<String> argv = new java.util.ArrayList<>(List.of("setsid"));
    argv.addAll(Netns.execArgv(node, command));
    return launch(new Resource.Process(node, service, argv, 0, 0, log.toString()));
  }

  /** Starts a stopped service again with the command line the journal recorded for it. */
  public Resource.Process restart(Resource.Process stopped) {
    return launch(new Resource.Process(stopped.node(), stopped.service(), stopped.command(), 0, 0, stopped.log()));
  }

  private Resource.Process launch(Resource.Process intent) {
    String node = intent.node();
    String service = intent.service();
    List<String> argv = intent.command();
    Path log = Path.of(intent.log());
    journal.record(intent);
    ProcessBuilder pb = new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(environment);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      journal.forget(intent);
      throw new LabFailure(node + ": cannot start " + service + ": " + e.getMessage());
    }
    long pid = process.pid();
    long startTime = ProcStat.read(pid).map(ProcStat::startTime).orElse(0L);
    Resource.Process started = intent.started(pid, startTime);
    journal.replace(intent, started);
    if (startTime == 0) {
      throw new LabFailure(node + ": " + service + " exited at once; see " + log);
    }
    return started;
  }
}
