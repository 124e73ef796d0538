package org.example.lb.l7.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One server line of {@code show servers state} (format version 1). Text fields HAProxy prints as
 * {@code -} are empty Optionals. The last five columns (srv_use_ssl ... srv_agent_port) are
 * optional in version 1 and empty when absent. {@link #fields()} has every column by header name.
 *
 * @param backendId be_id
 * @param backendName be_name
 * @param serverId srv_id
 * @param serverName srv_name
 * @param address srv_addr (IP literal as printed)
 * @param operationalState srv_op_state
 * @param adminState srv_admin_state, decoded
 * @param userWeight srv_uweight (current weight as set by the user or an agent)
 * @param initialWeight srv_iweight (configured weight)
 * @param secondsSinceLastChange srv_time_since_last_change
 * @param checkStatus srv_check_status
 * @param checkResult srv_check_result
 * @param checkHealth srv_check_health (0 .. rise+fall-1)
 * @param checkState srv_check_state, decoded
 * @param agentState srv_agent_state, decoded
 * @param backendIdForced bk_f_forced_id
 * @param serverIdForced srv_f_forced_id
 * @param fqdn srv_fqdn
 * @param port srv_port
 * @param srvRecord srvrecord
 * @param useSsl srv_use_ssl
 * @param checkPort srv_check_port (0: the server's port)
 * @param checkAddress srv_check_addr
 * @param agentAddress srv_agent_addr
 * @param agentPort srv_agent_port
 * @param fields every column by its header name, as printed
 */
public record ServerState(
    int backendId,
    String backendName,
    int serverId,
    String serverName,
    String address,
    OperationalState operationalState,
    AdminFlags adminState,
    int userWeight,
    int initialWeight,
    long secondsSinceLastChange,
    CheckStatus checkStatus,
    CheckResult checkResult,
    int checkHealth,
    CheckFlags checkState,
    CheckFlags agentState,
    boolean backendIdForced,
    boolean serverIdForced,
    Optional<String> fqdn,
    int port,
    Optional<String> srvRecord,
    Optional<Boolean> useSsl,
    OptionalInt checkPort,
    Optional<String> checkAddress,
    Optional<String> agentAddress,
    OptionalInt agentPort,
    Map<String, String> fields) {

  public ServerState {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** A column's value as printed, or empty if the header had no such column. */
  public Optional<String> field(String name) {
    return Optional.ofNullable(fields.get(name));
  }

  /** {@code backend/server}, as the CLI names servers. */
  public String qualifiedName() {
    return backendName + "/" + serverName;
  }
}
