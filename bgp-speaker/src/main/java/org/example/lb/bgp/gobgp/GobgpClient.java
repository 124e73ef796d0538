package org.example.lb.bgp.gobgp;

import apipb.Gobgp;
import apipb.GobgpApiGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.example.lb.common.config.Addresses;

/**
 * A client of one gobgpd's gRPC API (GoBGP 3, package {@code apipb}). Every call has the deadline given at
 * {@link #connect} and fails with a one-line {@link GobgpException}; none retries (the {@link Announcer} does).
 *
 * <p>The API's sharp edge is kept out of reach: {@code DeletePath} with neither a path nor a UUID withdraws every
 * locally originated route, so the only delete offered here takes a route.
 */
public final class GobgpClient implements AutoCloseable {
  private final String target;
  private final Duration timeout;
  private final ManagedChannel channel;
  private final GobgpApiGrpc.GobgpApiBlockingStub blocking;
  private final GobgpApiGrpc.GobgpApiStub async;

  private GobgpClient(InetSocketAddress api, Duration timeout) {
    this.target = Addresses.toText(api.getAddress()) + ":" + api.getPort();
    this.timeout = timeout;
    this.channel = Grpc.newChannelBuilderForAddress(api.getAddress().getHostAddress(), api.getPort(),
        InsecureChannelCredentials.create()).build();
    this.blocking = GobgpApiGrpc.newBlockingStub(channel);
    this.async = GobgpApiGrpc.newStub(channel);
  }

  /** A client of the gobgpd API at {@code api}; connects lazily, so this succeeds even if gobgpd is not up yet. */
  public static GobgpClient connect(InetSocketAddress api, Duration timeout) {
    return new GobgpClient(api, timeout);
  }

  /** The address of the API, {@code host:port}. */
  public String target() {
    return target;
  }

  private GobgpApiGrpc.GobgpApiBlockingStub stub() {
    return blocking.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private <T> T call(String what, Supplier<T> call) throws GobgpException {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      Status s = e.getStatus();
      boolean unavailable = s.getCode() == Status.Code.UNAVAILABLE || s.getCode() == Status.Code.DEADLINE_EXCEEDED;
      String why = s.getDescription() != null ? s.getDescription()
          : s.getCause() != null ? s.getCause().getMessage() : s.getCode().name();
      if (unavailable) {
        channel.resetConnectBackoff(); // gobgpd may be back any moment: the next call must try it, not wait out gRPC's backoff
      }
      throw new GobgpException(what + " at gobgpd " + target + " failed: " + s.getCode()
          + (why == null ? "" : " (" + why.lines().findFirst().orElse("") + ")"), unavailable, e);
    }
  }

  // ---- global ----

  /** The running BGP instance, or empty if gobgpd has not been started ({@code StartBgp} not called yet). */
  public Optional<GlobalSettings> global() throws GobgpException {
    Gobgp.Global g = call("GetBgp", () -> stub().getBgp(Gobgp.GetBgpRequest.getDefaultInstance())).getGlobal();
    if (g.getAsn() == 0) {
      return Optional.empty();
    }
    Inet4Address id = Addresses.parseLiteral(g.getRouterId()).filter(a -> a instanceof Inet4Address)
        .map(a -> (Inet4Address) a).orElseThrow(() -> new GobgpException(
            "GetBgp at gobgpd " + target + ": router id " + g.getRouterId() + " is not an IPv4 address", false, null));
    return Optional.of(new GlobalSettings(Integer.toUnsignedLong(g.getAsn()), id, g.getListenPort(),
        g.getListenAddressesList()));
  }

  /** Starts the BGP instance. */
  public void start(GlobalSettings settings) throws GobgpException {
    Gobgp.Global.Builder g = Gobgp.Global.newBuilder().setAsn((int) settings.asn())
        .setRouterId(settings.routerId().getHostAddress()).setListenPort(settings.listenPort())
        .addAllListenAddresses(settings.listenAddresses());
    call("StartBgp", () -> stub().startBgp(Gobgp.StartBgpRequest.newBuilder().setGlobal(g).build()));
  }

  // ---- peers ----

  /** The neighbours gobgpd has, with their configuration and state. */
  List<Gobgp.Peer> listPeerMessages() throws GobgpException {
    return call("ListPeer", () -> {
      List<Gobgp.Peer> peers = new ArrayList<>();
      Iterator<Gobgp.ListPeerResponse> it = stub().listPeer(Gobgp.ListPeerRequest.newBuilder().setEnableAdvertised(true).build());
      it.forEachRemaining(r -> peers.add(r.getPeer()));
      return peers;
    });
  }

  /** The sessions gobgpd has. */
  public List<PeerStatus> peers() throws GobgpException {
    return listPeerMessages().stream().map(GobgpClient::status).toList();
  }

  static PeerStatus status(Gobgp.Peer p) {
    long accepted = 0;
    long advertised = 0;
    for (Gobgp.AfiSafi a : p.getAfiSafisList()) {
      accepted += a.getState().getAccepted();
      advertised += a.getState().getAdvertised();
    }
    return new PeerStatus(p.getConf().getNeighborAddress(), Integer.toUnsignedLong(p.getConf().getPeerAsn()),
        SessionState.valueOf(p.getState().getSessionStateValue()), accepted, advertised);
  }

  void addPeer(PeerSettings peer) throws GobgpException {
    call("AddPeer " + Addresses.toText(peer.neighborAddress()),
        () -> stub().addPeer(Gobgp.AddPeerRequest.newBuilder().setPeer(PeerCodec.encode(peer)).build()));
  }

  void deletePeer(String address) throws GobgpException {
    call("DeletePeer " + address,
        () -> stub().deletePeer(Gobgp.DeletePeerRequest.newBuilder().setAddress(address).build()));
  }

  // ---- paths ----

  /** Originates {@code route} (replacing this node's earlier path for the same prefix, if any). */
  public void announce(Route route) throws GobgpException {
    call("AddPath " + route.prefix(), () -> stub().addPath(Gobgp.AddPathRequest.newBuilder()
        .setTableType(Gobgp.TableType.GLOBAL).setPath(RouteCodec.encode(route)).build()));
  }

  /**
   * Withdraws this node's path for {@code route}'s prefix: a DeletePath naming the path, which removes only the
   * locally originated path of that prefix.
   */
  public void withdraw(Route route) throws GobgpException {
    call("DeletePath " + route.prefix(), () -> stub().deletePath(Gobgp.DeletePathRequest.newBuilder()
        .setTableType(Gobgp.TableType.GLOBAL).setFamily(RouteCodec.familyOf(route.prefix()))
        .setPath(RouteCodec.encode(route)).build()));
  }

  /** Every unicast path of both families in the global RIB (learnt and local). */
  public List<RibPath> paths() throws GobgpException {
    List<RibPath> out = new ArrayList<>();
    for (Gobgp.Family family : List.of(RouteCodec.IPV4_UNICAST, RouteCodec.IPV6_UNICAST)) {
      call("ListPath", () -> {
        Iterator<Gobgp.ListPathResponse> it = stub().listPath(Gobgp.ListPathRequest.newBuilder()
            .setTableType(Gobgp.TableType.GLOBAL).setFamily(family).build());
        it.forEachRemaining(r -> {
          for (Gobgp.Path p : r.getDestination().getPathsList()) {
            RouteCodec.decode(p).ifPresent(route -> out.add(new RibPath(route, neighbor(p), p.getBest())));
          }
        });
        return null;
      });
    }
    return out;
  }

  /** A path's neighbour; GoBGP reports "<nil>" (or nothing) for locally originated ones. */
  private static Optional<String> neighbor(Gobgp.Path p) {
    String n = p.getNeighborIp();
    return n.isEmpty() || n.equals("<nil>") ? Optional.empty() : Optional.of(n);
  }

  // ---- events ----

  /**
   * Subscribes to peer events (session state changes). {@code onEvent} runs on a gRPC thread for each event;
   * {@code onEnd} once when the stream ends or fails (gobgpd stopped). Closing the returned handle cancels it.
   */
  public AutoCloseable watchPeers(Runnable onEvent, Consumer<String> onEnd) {
    ClientCallStreamObserver<?>[] call = new ClientCallStreamObserver<?>[1];
    async.watchEvent(Gobgp.WatchEventRequest.newBuilder()
        .setPeer(Gobgp.WatchEventRequest.Peer.getDefaultInstance()).build(),
        new ClientResponseObserver<Gobgp.WatchEventRequest, Gobgp.WatchEventResponse>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<Gobgp.WatchEventRequest> requestStream) {
            call[0] = requestStream;
          }

          @Override
          public void onNext(Gobgp.WatchEventResponse value) {
            onEvent.run();
          }

          @Override
          public void onError(Throwable t) {
            onEnd.accept(Status.fromThrowable(t).getCode().name());
          }

          @Override
          public void onCompleted() {
            onEnd.accept("completed");
          }
        });
    return () -> call[0].cancel("closed", null);
  }

  /** Releases the channel. */
  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
