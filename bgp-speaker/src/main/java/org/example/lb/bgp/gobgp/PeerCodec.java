package org.example.lb.bgp.gobgp;

import apipb.Gobgp;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.example.lb.common.config.Addresses;

/** {@link PeerSettings} to and from GoBGP's API {@code Peer}. Tested without a daemon. */
final class PeerCodec {
  private static final List<Gobgp.Family> FAMILIES = List.of(RouteCodec.IPV4_UNICAST, RouteCodec.IPV6_UNICAST);
  private static final int BGP_PORT = 179;

  private PeerCodec() {}

  static Gobgp.Peer encode(PeerSettings p) {
    Gobgp.Peer.Builder peer = Gobgp.Peer.newBuilder()
        .setConf(Gobgp.PeerConf.newBuilder().setNeighborAddress(Addresses.toText(p.neighborAddress()))
            .setPeerAsn((int) p.peerAsn()).setAuthPassword(p.md5Password().orElse("")))
        .setTimers(Gobgp.Timers.newBuilder().setConfig(Gobgp.TimersConfig.newBuilder()
            .setHoldTime(p.holdTime().toSeconds()).setKeepaliveInterval(p.keepalive().toSeconds())
            .setConnectRetry(p.connectRetry().toSeconds())))
        .setTransport(Gobgp.Transport.newBuilder().setRemotePort(p.remotePort().orElse(BGP_PORT))
            .setLocalAddress(p.localAddress().map(Addresses::toText).orElse("")));
    for (Gobgp.Family f : FAMILIES) {
      peer.addAfiSafis(Gobgp.AfiSafi.newBuilder().setConfig(
          Gobgp.AfiSafiConfig.newBuilder().setFamily(f).setEnabled(true)));
    }
    return peer.build();
  }

  /**
   * Whether the peer gobgpd reports is configured as {@code wanted} says: same AS, timers, port, local address,
   * password and both unicast families. Fields gobgpd fills in (a default port, the local address the kernel chose)
   * count as equal to what was left unset.
   */
  static boolean matches(Gobgp.Peer listed, PeerSettings wanted) {
    Gobgp.TimersConfig t = listed.getTimers().getConfig();
    Gobgp.Transport tr = listed.getTransport();
    int port = tr.getRemotePort() == 0 ? BGP_PORT : tr.getRemotePort();
    // Unset, the kernel chooses, and gobgpd then reports the address the session uses: any address matches.
    boolean localMatches = wanted.localAddress().isEmpty()
        || Addresses.parseLiteral(tr.getLocalAddress()).equals(wanted.localAddress());
    Set<Gobgp.Family> families = new HashSet<>();
    for (Gobgp.AfiSafi a : listed.getAfiSafisList()) {
      if (a.getConfig().getEnabled()) {
        families.add(a.getConfig().getFamily());
      }
    }
    return Integer.toUnsignedLong(listed.getConf().getPeerAsn()) == wanted.peerAsn()
        && t.getHoldTime() == wanted.holdTime().toSeconds()
        && t.getKeepaliveInterval() == wanted.keepalive().toSeconds()
        && t.getConnectRetry() == wanted.connectRetry().toSeconds()
        && port == wanted.remotePort().orElse(BGP_PORT)
        && localMatches
        && listed.getConf().getAuthPassword().equals(wanted.md5Password().orElse(""))
        && families.containsAll(FAMILIES);
  }
}
