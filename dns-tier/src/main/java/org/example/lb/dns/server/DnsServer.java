package org.example.lb.dns.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.example.lb.dns.answer.AnswerTable;
import org.example.lb.dns.answer.QueryStats;
import org.example.lb.dns.answer.QueryStats.Stat;
import org.example.lb.dns.answer.Responder;

/**
 * The sockets, per listen address {@code workers} UDP sockets and {@code workers} TCP listening sockets, all bound
 * with SO_REUSEPORT so the kernel spreads queries and connections over them. UDP: each socket has its own thread
 * blocking in recvmmsg/sendmmsg ({@link DatagramLoop}, gdnsd's design: no event loop between the kernel and the
 * answer). TCP: Netty's native epoll transport with {@code workers} event-loop threads. Every thread answers with its
 * own {@link Responder}; nothing is shared on the query path but the {@link AnswerTable} reference and the counters.
 *
 * <p>TCP (RFC 7766): queries on one connection are answered in order as they arrive (pipelining, §6.2.1.1), a
 * connection idle for {@code idleTimeout} is closed (§6.2.3), and beyond {@code maxConnections} new connections are
 * closed at once.
 */
final class DnsServer implements AutoCloseable {
  private final EventLoopGroup group;
  private final List<DatagramLoop> datagramLoops = new ArrayList<>();
  private final List<Channel> channels = new ArrayList<>();
  private final List<InetSocketAddress> bound = new ArrayList<>();
  private final AtomicInteger openConnections = new AtomicInteger();
  private final QueryStats stats;

  private DnsServer(EventLoopGroup group, QueryStats stats) {
    this.group = group;
    this.stats = stats;
  }

  /**
   * Binds every address; port 0 picks a free UDP port for the first address and uses it everywhere.
   *
   * @throws IOException (one line) when epoll or the UDP system calls are unavailable or an address cannot be bound
   */
  static DnsServer start(List<InetSocketAddress> addresses, int workers, Duration idleTimeout, int maxConnections,
      Supplier<AnswerTable> table, QueryStats stats) throws IOException {
    if (!Epoll.isAvailable()) {
      throw new IOException("Netty's native epoll transport is unavailable: " + Epoll.unavailabilityCause());
    }
    if (!DatagramLoop.isAvailable()) {
      throw new IOException("UDP system calls unavailable (run with --enable-native-access=ALL-UNNAMED): "
          + DatagramLoop.unavailabilityCause());
    }
    FastThreadLocal<Worker> perThread = new FastThreadLocal<>() {
      @Override
      protected Worker initialValue() {
        return new Worker(Responder.create(table, stats));
      }
    };
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(workers, new DefaultThreadFactory("dns-worker"),
        EpollIoHandler.newFactory());
    DnsServer server = new DnsServer(group, stats);
    try {
      int port = -1;
      for (InetSocketAddress requested : addresses) {
        InetSocketAddress address = port < 0 ? requested : new InetSocketAddress(requested.getAddress(), port);
        for (int i = 0; i < workers; i++) {
          DatagramLoop udp = DatagramLoop.bind(address, Responder.create(table, stats), stats,
              "dns-udp-" + server.datagramLoops.size());
          server.datagramLoops.add(udp);
          InetSocketAddress local = udp.localAddress();
          if (port < 0) {
            port = local.getPort();
            address = new InetSocketAddress(requested.getAddress(), port);
          }
        }
        for (int i = 0; i < workers; i++) {
          server.bindTcp(address, idleTimeout, maxConnections, perThread);
        }
        server.bound.add(address);
      }
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void bindTcp(InetSocketAddress address, Duration idleTimeout, int maxConnections,
      FastThreadLocal<Worker> perThread) throws IOException {
    ServerBootstrap b = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
        .option(EpollChannelOption.SO_REUSEPORT, true)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<EpollSocketChannel>() {
          @Override
          protected void initChannel(EpollSocketChannel ch) {
            if (openConnections.incrementAndGet() > maxConnections) {
              openConnections.decrementAndGet();
              stats.increment(Stat.TCP_CONNS_REFUSED);
              ch.close();
              return;
            }
            stats.increment(Stat.TCP_CONNS);
            ch.closeFuture().addListener(f -> openConnections.decrementAndGet());
            ch.pipeline().addLast(
                new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS),
                new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2),
                new TcpHandler(perThread, stats));
          }
        });
    bind(b.bind(address), "TCP", address);
  }

  private Channel bind(io.netty.channel.ChannelFuture future, String what, InetSocketAddress address)
      throws IOException {
    future.awaitUninterruptibly();
    if (!future.isSuccess()) {
      Throwable cause = future.cause();
      throw new IOException("cannot listen on " + what + " " + address + ": " + cause.getMessage(), cause);
    }
    channels.add(future.channel());
    return future.channel();
  }

  /** The addresses listened on (the port resolved). */
  List<InetSocketAddress> addresses() {
    return List.copyOf(bound);
  }

  int openConnections() {
    return openConnections.get();
  }

  /** Closes the sockets, then stops the threads (queries in flight are answered first). */
  @Override
  public void close() {
    for (DatagramLoop loop : datagramLoops) {
      loop.close();
    }
    for (Channel c : channels) {
      c.close().awaitUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  /** One per TCP connection: answers each length-prefixed message in order. */
  private static final class TcpHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final FastThreadLocal<Worker> perThread;
    private final QueryStats stats;
    private boolean closedByServer;

    TcpHandler(FastThreadLocal<Worker> perThread, QueryStats stats) {
      this.perThread = perThread;
      this.stats = stats;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf message) {
      stats.increment(Stat.TCP_REQS);
      if (message.readableBytes() < 12) { // no header: nothing to answer, and the stream cannot be trusted
        stats.increment(Stat.TCP_RECVFAIL);
        stats.increment(Stat.DROPPED_SHORT);
        closeByServer(ctx, Stat.TCP_CLOSE_S_ERR);
        return;
      }
      ByteBuf response = perThread.get().answer(message, ctx.alloc(), true);
      if (response != null) {
        ctx.write(response, ctx.voidPromise());
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof IdleStateEvent) {
        closeByServer(ctx, Stat.TCP_CLOSE_S_IDLE);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!closedByServer) {
        stats.increment(Stat.TCP_CLOSE_C);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      closeByServer(ctx, Stat.TCP_CLOSE_S_ERR); // a reset, an oversized frame: the connection goes, nothing else
    }

    private void closeByServer(ChannelHandlerContext ctx, Stat why) {
      if (!closedByServer) {
        closedByServer = true;
        stats.increment(why);
        ctx.close();
      }
    }
  }
}
