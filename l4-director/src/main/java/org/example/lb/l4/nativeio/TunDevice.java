package org.example.lb.l4.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Linux TUN device (layer 3, {@code IFF_TUN | IFF_NO_PI}: each read returns one bare IP packet, each write injects
 * one). With multi-queue ({@code IFF_MULTI_QUEUE}) the device has one file descriptor per queue; the kernel spreads
 * received flows over the queues so each worker thread owns one {@link Queue}.
 *
 * <p>The device is created in the network namespace of the thread that calls {@link #open} (a thread that entered a
 * namespace with setns(2) creates it there). Bringing the link up and adding addresses is left to {@code ip}; the
 * device disappears when its last queue is closed (it is not persistent).
 *
 * <p>{@link #isAvailable()} / {@link #unavailabilityCause()} are probed once: libc linked and /dev/net/tun can be
 * opened. Buffers passed to read/write must be native (Arena-allocated or direct): heap memory cannot be handed to
 * a blocking system call.
 */
public final class TunDevice implements AutoCloseable {
  /** Path of the clone device. */
  public static final String CLONE_DEVICE = "/dev/net/tun";

  private static final Throwable UNAVAILABILITY_CAUSE = probe();

  private final String name;
  private final boolean multiQueue;
  private final List<Queue> queues;
  private final Descriptor control; // AF_INET datagram socket in the device's namespace, for SIOCGIFMTU

  private TunDevice(String name, boolean multiQueue, List<Queue> queues, Descriptor control) {
    this.name = name;
    this.multiQueue = multiQueue;
    this.queues = List.copyOf(queues);
    this.control = control;
  }

  private static Throwable probe() {
    if (!Libc.isAvailable()) {
      return Libc.unavailabilityCause();
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.newCallState(arena);
      int fd = (int) Libc.OPEN.invokeExact(state, arena.allocateFrom(CLONE_DEVICE), Libc.O_RDWR | Libc.O_CLOEXEC);
      if (fd < 0) {
        return Libc.failure("open " + CLONE_DEVICE, Libc.errno(state));
      }
      Descriptor.closeQuietly(fd, state);
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  /** Whether TUN devices can be opened here (libc linked, /dev/net/tun opens); probed once. */
  public static boolean isAvailable() {
    return UNAVAILABILITY_CAUSE == null;
  }

  /** Why {@link #isAvailable()} is false, or {@code null}. */
  public static Throwable unavailabilityCause() {
    return UNAVAILABILITY_CAUSE;
  }

  /**
   * Creates (or attaches to) TUN device {@code name} with {@code queues} queues, all blocking.
   *
   * @param name interface name, at most 15 bytes; may contain {@code %d} for the kernel to pick a number
   * @param multiQueue whether to set IFF_MULTI_QUEUE (required for more than one queue)
   * @param queues number of queues, 1 unless {@code multiQueue}
   * @throws NativeIoException when the kernel refuses (EPERM without CAP_NET_ADMIN, EINVAL for flags that do not
   *     match an existing device, EBUSY when a single-queue device is already attached)
   */
  public static TunDevice open(String name, boolean multiQueue, int queues) throws NativeIoException {
    Libc.ensureAvailable();
    byte[] nameBytes = name == null ? new byte[0] : name.getBytes(StandardCharsets.US_ASCII);
    if (nameBytes.length == 0 || nameBytes.length >= Libc.IFNAMSIZ) {
      throw new IllegalArgumentException("name: " + name + " (expected: 1 to 15 ASCII characters)");
    }
    if (queues < 1 || (!multiQueue && queues != 1)) {
      throw new IllegalArgumentException("queues: " + queues
          + (multiQueue ? " (expected: at least 1)" : " (expected: 1 without multiQueue)"));
    }
    short flags = (short) (Libc.IFF_TUN | Libc.IFF_NO_PI | (multiQueue ? Libc.IFF_MULTI_QUEUE : 0));
    List<Queue> opened = new ArrayList<>(queues);
    String actualName = name;
    Descriptor control = null;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.newCallState(arena);
      MemorySegment path = arena.allocateFrom(CLONE_DEVICE);
      MemorySegment ifreq = arena.allocate(Libc.IFREQ_SIZE, 8);
      for (int i = 0; i < queues; i++) {
        int fd = (int) Libc.OPEN.invokeExact(state, path, Libc.O_RDWR | Libc.O_CLOEXEC);
        if (fd < 0) {
          throw Libc.failure("open " + CLONE_DEVICE, Libc.errno(state));
        }
        ifreq.fill((byte) 0);
        ifreq.setString(0, actualName, StandardCharsets.US_ASCII);
        ifreq.set(JAVA_SHORT, Libc.IFNAMSIZ, flags);
        int rc = (int) Libc.IOCTL_PTR.invokeExact(state, fd, Libc.TUNSETIFF, ifreq);
        if (rc < 0) {
          int errno = Libc.errno(state);
          Descriptor.closeQuietly(fd, state);
          throw Libc.failure("ioctl(TUNSETIFF) " + name, errno);
        }
        actualName = ifreq.asSlice(0, Libc.IFNAMSIZ).getString(0, StandardCharsets.US_ASCII);
        opened.add(new Queue(new Descriptor(fd, actualName + "/q" + i), i));
      }
      int sock = (int) Libc.SOCKET.invokeExact(state, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
      if (sock < 0) {
        throw Libc.failure("socket(AF_INET, SOCK_DGRAM) for " + actualName, Libc.errno(state));
      }
      control = new Descriptor(sock, actualName + "/control");
      return new TunDevice(actualName, multiQueue, opened, control);
    } catch (NativeIoException | RuntimeException | Error e) {
      for (Queue q : opened) {
        q.closeQuietly();
      }
      throw e;
    } catch (Throwable t) {
      throw Libc.rethrow(t);
    }
  }

  /** The interface name the kernel assigned (the requested name unless it contained {@code %d}). */
  public String name() {
    return name;
  }

  /** Whether the device was opened with IFF_MULTI_QUEUE. */
  public boolean multiQueue() {
    return multiQueue;
  }

  /** The queues, in order; queue {@code i} is meant for worker {@code i}. */
  public List<Queue> queues() {
    return queues;
  }

  /** Queue {@code index}. */
  public Queue queue(int index) {
    return queues.get(index);
  }

  /** The interface's current MTU (SIOCGIFMTU), as changed by e.g. {@code ip link set <name> mtu N}. */
  public int mtu() throws NativeIoException {
    synchronized (control) {
      control.ensureOpen();
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment ifreq = arena.allocate(Libc.IFREQ_SIZE, 8);
        ifreq.setString(0, name, StandardCharsets.US_ASCII);
        int rc = (int) Libc.IOCTL_PTR.invokeExact(control.callState(), control.fd(), Libc.SIOCGIFMTU, ifreq);
        if (rc < 0) {
          throw Libc.failure("ioctl(SIOCGIFMTU) " + name, Libc.errno(control.callState()));
        }
        return ifreq.get(JAVA_INT, Libc.IFNAMSIZ);
      } catch (NativeIoException e) {
        throw e;
      } catch (Throwable t) {
        throw Libc.rethrow(t);
      }
    }
  }

  /** Closes every queue (the device goes away with the last one); the first failure is thrown after all closed. */
  @Override
  public void close() throws NativeIoException {
    NativeIoException first = null;
    for (Queue q : queues) {
      try {
        q.close();
      } catch (NativeIoException e) {
        first = first == null ? e : first;
      }
    }
    synchronized (control) {
      try {
        control.close();
      } catch (NativeIoException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "TunDevice[" + name + ", queues=" + queues.size() + "]";
  }

  /**
   * One queue's file descriptor. Used by one thread at a time (its worker); reads and writes allocate nothing. To
   * leave headroom for an outer header, slice the buffer once outside the loop ({@code packet =
   * buffer.asSlice(20)}) and read into the slice: slicing per call allocates. A
   * blocking read is not woken by {@link #close()}: workers that must notice shutdown use non-blocking mode or
   * {@link #awaitReadable(int)} with a timeout. Blocking calls pin a virtual thread's carrier, so workers should be
   * platform threads.
   */
  public static final class Queue extends DescriptorChannel {
    private final int index;

    Queue(Descriptor descriptor, int index) {
      super(descriptor);
      this.index = index;
    }

    /**
     * Attaches ({@code true}) or detaches this queue from the device (TUNSETQUEUE; multi-queue devices only). The
     * kernel steers no packets to a detached queue (a non-blocking read there reports EAGAIN), so a worker that
     * stops should detach its queue first. Queues start attached.
     */
    public void setAttached(boolean attached) throws NativeIoException {
      descriptor.ensureOpen();
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment ifreq = arena.allocate(Libc.IFREQ_SIZE, 8);
        ifreq.set(JAVA_SHORT, Libc.IFNAMSIZ, attached ? Libc.IFF_ATTACH_QUEUE : Libc.IFF_DETACH_QUEUE);
        int rc = (int) Libc.IOCTL_PTR.invokeExact(descriptor.callState(), descriptor.fd(), Libc.TUNSETQUEUE, ifreq);
        if (rc < 0) {
          throw Libc.failure("ioctl(TUNSETQUEUE, " + (attached ? "attach" : "detach") + ") " + descriptor.name(),
              Libc.errno(descriptor.callState()));
        }
      } catch (NativeIoException e) {
        throw e;
      } catch (Throwable t) {
        throw Libc.rethrow(t);
      }
    }

    /** Position of this queue in {@link TunDevice#queues()}. */
    public int index() {
      return index;
    }

    /**
     * Reads one packet into {@code buffer} (native memory, should hold the MTU; a longer packet is truncated).
     *
     * @return the packet length, or -1 in non-blocking mode when no packet is queued
     */
    public int read(MemorySegment buffer) throws NativeIoException {
      return descriptor.read(buffer, buffer.byteSize());
    }

    /**
     * Reads one packet into a direct buffer between its position and limit and advances the position by the packet
     * length; returns it, or -1 as for {@link #read(MemorySegment)}.
     */
    public int read(ByteBuffer buffer) throws NativeIoException {
      int n = descriptor.read(MemorySegment.ofBuffer(requireDirect(buffer)), buffer.remaining());
      if (n > 0) {
        buffer.position(buffer.position() + n);
      }
      return n;
    }

    /**
     * Injects the packet {@code buffer[0, length)} (a complete IPv4 or IPv6 packet) as if received by the device.
     *
     * @return {@code length}, or -1 when the kernel had no room (EAGAIN/ENOBUFS; see {@link #lastErrno()})
     * @throws NativeIoException e.g. EINVAL for a malformed packet or EIO when the link is down
     */
    public int write(MemorySegment buffer, int length) throws NativeIoException {
      if (length < 0 || length > buffer.byteSize()) {
        throw new IndexOutOfBoundsException("length " + length + " of a " + buffer.byteSize() + "-byte buffer");
      }
      return descriptor.write(buffer, length);
    }

    /** Writes the packet between a direct buffer's position and limit, advancing the position when written. */
    public int write(ByteBuffer buffer) throws NativeIoException {
      int n = descriptor.write(MemorySegment.ofBuffer(requireDirect(buffer)), buffer.remaining());
      if (n > 0) {
        buffer.position(buffer.position() + n);
      }
      return n;
    }

    void closeQuietly() {
      try {
        descriptor.close();
      } catch (NativeIoException e) {
        // cleanup after a failed open
      }
    }

    @Override
    public String toString() {
      return descriptor.name();
    }
  }

  static ByteBuffer requireDirect(ByteBuffer buffer) {
    if (!buffer.isDirect()) {
      throw new IllegalArgumentException("buffer: heap ByteBuffer (expected: a direct buffer)");
    }
    return buffer;
  }
}
