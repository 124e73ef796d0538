package org.example.lb.l4.director;

import java.util.stream.Collectors;

/** Renders a {@link DirectorStatus} as the text {@code l4-director status} prints: one screen, problems marked. */
final class StatusView {
  private StatusView() {}

  static String render(DirectorStatus s) {
    StringBuilder out = new StringBuilder();
    DirectorStatus.QuorumStatus q = s.quorum();
    out.append(s.node()).append("  ").append(s.serving() ? "serving" : "STOPPING (not serving)")
        .append("  scheduler ").append(s.scheduler()).append(" (").append(s.hashKey()).append(", table ")
        .append(s.tableSize()).append(")\n");
    out.append("quorum ").append(q.up() ? "UP" : "DOWN !").append(" (live weight ").append(q.liveWeight())
        .append(", quorum ").append(q.weight()).append(q.hysteresis() == 0 ? "" : " ± " + q.hysteresis()).append(")\n");
    out.append("services: ").append(String.join(", ", s.services())).append("\n\n");
    out.append(String.format("%-10s %-9s %6s %7s %8s  %-16s %-18s %s%n", "BACKEND", "STATE", "WEIGHT", "SHARE",
        "FLOWS", "HTTP", "TCP", "SINCE"));
    for (DirectorStatus.BackendStatus b : s.backends()) {
      String state = b.state().equals("UP") ? b.state() : b.state() + " !";
      out.append(String.format("%-10s %-9s %6d %6.1f%% %8d  %-16s %-18s %s%n", b.name(), state, b.weight(),
          b.tableShare() * 100, b.flows(), clip(b.http(), 16), clip(b.tcp(), 18), b.since()));
    }
    out.append('\n');
    out.append(String.format("%-7s %12s %12s %8s %12s %10s %10s%n", "WORKER", "RECEIVED", "TUNNELLED", "ICMP",
        "SEND-ERRORS", "FLOWS", "PEER-HITS"));
    for (DirectorStatus.WorkerStatus w : s.workers()) {
      out.append(String.format("%-7d %12d %12d %8d %12d %10d %10d%n", w.index(), w.received(), w.tunnelled(),
          w.icmpSent(), w.sendErrors(), w.flows(), w.peerHits()));
    }
    out.append("drops: ").append(s.drops().isEmpty() ? "none" : s.drops().entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))).append('\n');
    out.append("flow sync: ").append(s.sync().map(StatusView::sync).orElse("off")).append('\n');
    s.lastReload().ifPresent(r -> out.append("last reload: ").append(r).append('\n'));
    return out.toString();
  }

  private static String sync(org.example.lb.l4.sync.SyncStatus y) {
    long dropped = y.notFromPeer() + y.malformed() + y.unknownBackend() + y.peerFlowsRejected() + y.flowsDropped();
    return "peers " + String.join(", ", y.peers()) + "; sent " + y.recordsSent() + " records"
        + (y.sendErrors() == 0 ? "" : " (" + y.sendErrors() + " send errors !)") + "; received " + y.recordsReceived()
        + "; holding " + y.peerFlows() + " peer flows"
        + (dropped == 0 ? "" : "; dropped: not from a peer " + y.notFromPeer() + ", malformed " + y.malformed()
            + ", unknown LB7 " + y.unknownBackend() + ", table full " + y.peerFlowsRejected() + ", outbox full "
            + y.flowsDropped() + " !");
  }

  private static String clip(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
