package org.example.lb.l7.runtime;

import java.nio.file.Path;
import java.util.List;

/** {@link RuntimeSocket} over {@link CliTransport}: one connection per command. */
final class UnixRuntimeSocket implements RuntimeSocket {
  private static final String SEVERITY_PREFIX = "set severity-output number;";

  private final CliTransport transport;

  UnixRuntimeSocket(CliTransport transport) {
    this.transport = transport;
  }

  @Override
  public Path path() {
    return transport.socket();
  }

  @Override
  public List<StatRow> showStat() {
    return StatCsv.parse(execute("show stat").text());
  }

  @Override
  public ServersState showServersState() {
    return ServersStateFormat.parse(execute("show servers state").text());
  }

  @Override
  public ServersState showServersState(String backend) {
    return ServersStateFormat.parse(execute("show servers state " + CliArguments.name("backend", backend)).text());
  }

  @Override
  public Info showInfo() {
    return Info.parse(execute("show info").text());
  }

  @Override
  public void setServerState(String backend, String server, ServerAdminState state) {
    execute("set server " + target(backend, server) + " state " + state.cliWord());
  }

  @Override
  public void setServerWeight(String backend, String server, Weight weight) {
    execute("set server " + target(backend, server) + " weight " + weight);
  }

  @Override
  public void setServerAgent(String backend, String server, AgentState state) {
    execute("set server " + target(backend, server) + " agent " + state.cliWord());
  }

  @Override
  public void setServerHealth(String backend, String server, HealthState state) {
    execute("set server " + target(backend, server) + " health " + state.cliWord());
  }

  @Override
  public void setServerMaxconn(String backend, String server, int maxconn) {
    if (maxconn < 0) {
      throw new IllegalArgumentException("maxconn: " + maxconn + " (expected: 0 for no limit, or a positive integer)");
    }
    execute("set maxconn server " + target(backend, server) + " " + maxconn);
  }

  @Override
  public void enableAgent(String backend, String server) {
    execute("enable agent " + target(backend, server));
  }

  @Override
  public void disableAgent(String backend, String server) {
    execute("disable agent " + target(backend, server));
  }

  @Override
  public void enableHealth(String backend, String server) {
    execute("enable health " + target(backend, server));
  }

  @Override
  public void disableHealth(String backend, String server) {
    execute("disable health " + target(backend, server));
  }

  @Override
  public void addServer(String backend, String server, String address, List<String> options) {
    StringBuilder cmd = new StringBuilder("add server ").append(target(backend, server)).append(' ')
        .append(CliArguments.token("address", address));
    for (String option : options) {
      cmd.append(' ').append(CliArguments.token("option", option));
    }
    execute(cmd.toString());
  }

  @Override
  public void delServer(String backend, String server) {
    execute("del server " + target(backend, server));
  }

  @Override
  public String raw(String command) {
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("command: missing (expected: a CLI command)");
    }
    return execute(command).body();
  }

  @Override
  public String toString() {
    return "RuntimeSocket[" + transport.socket() + ", timeout " + transport.timeout().toMillis() + " ms]";
  }

  private CliReply execute(String command) {
    String raw = transport.exchange(SEVERITY_PREFIX + command, false);
    if (raw.isEmpty()) {
      throw new RuntimeIoException(transport.socket(), "\"" + command + "\": connection closed without a reply",
          false, null);
    }
    return CliReply.ofStatsSocket(command, raw).requireSuccess();
  }

  private static String target(String backend, String server) {
    return CliArguments.name("backend", backend) + "/" + CliArguments.name("server", server);
  }
}
