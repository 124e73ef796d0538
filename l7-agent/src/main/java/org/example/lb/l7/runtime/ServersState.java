package org.example.lb.l7.runtime;

import java.util.List;
import java.util.Optional;

/**
 * The reply to {@code show servers state}: the parsed servers and the text exactly as HAProxy sent
 * it, which is the format of a {@code server-state-file} and can be written to one verbatim.
 *
 * @param version the format version on the first line (1)
 * @param columns the header's column names, in order
 * @param servers one entry per server line
 * @param text the reply verbatim (without this client's {@code set severity-output} echo)
 */
public record ServersState(int version, List<String> columns, List<ServerState> servers, String text) {
  public ServersState {
    columns = List.copyOf(columns);
    servers = List.copyOf(servers);
  }

  /**
   * Parses {@code show servers state} output or a server-state file (version 1).
   *
   * @throws RuntimeReplyException naming the line and field that do not fit the format
   */
  public static ServersState parse(String text) {
    return ServersStateFormat.parse(text);
  }

  public Optional<ServerState> server(String backend, String server) {
    return servers.stream()
        .filter(s -> s.backendName().equals(backend) && s.serverName().equals(server))
        .findFirst();
  }

  public List<ServerState> backend(String backend) {
    return servers.stream().filter(s -> s.backendName().equals(backend)).toList();
  }
}
