/**
 * Native I/O for the data plane through the Foreign Function &amp; Memory API (no JNI): {@link
 * org.example.lb.l4.nativeio.TunDevice} (packets in and out of the kernel's stack as a layer-3 interface) and {@link
 * org.example.lb.l4.nativeio.RawSocket} (sending IPIP / IP6IP6 to the LB7s, and receiving them there, without the
 * kernel's ipip/ip6_tunnel modules).
 *
 * <p>Style as in Netty's Epoll: one class per capability, libc handles linked once (package-private {@code Libc}),
 * {@code isAvailable()} / {@code unavailabilityCause()} probed once, errno captured by the linker
 * ({@code captureCallState("errno")}) into a segment preallocated per descriptor, so read, write, sendTo, receive
 * and poll on {@code MemorySegment}s allocate nothing (the {@code ByteBuffer} overloads wrap the buffer in a
 * segment view per call: convenient, not for the hot loop). Expected "try again" conditions (EAGAIN in non-blocking mode, ENOBUFS) return -1 with
 * the cause in {@code lastErrno()} instead of throwing, so a full queue is a counted drop, not an exception; other
 * failures throw {@link org.example.lb.l4.nativeio.NativeIoException} carrying an {@link
 * org.example.lb.l4.nativeio.Errno}.
 *
 * <p>Threading: each TUN queue / raw socket is used by one thread at a time, and closed only after that thread
 * stopped using it (closing does not wake a blocked read; worker loops wait with {@code awaitReadable(timeout)} and
 * check their shutdown flag). Blocking calls pin a virtual thread's carrier: run workers on platform threads.
 * Descriptors are created in the network namespace of the creating thread (a thread that did setns(2) creates them
 * in that namespace) and stay there.
 *
 * <p>Verified on this project's kernel (6.18, tests in {@code src/test/.../nativeio}): multi-queue TUN (flows spread
 * over the queues; writes work on every queue; TUNSETQUEUE detach steers flows away from a queue), SIOCGIFMTU, IP_HDRINCL (the kernel always rewrites total length and
 * checksum, and fills a zero id or zero source), IPV6_HDRINCL (the packet is sent as given), IPv6 raw sockets deliver
 * the payload without the IPv6 header, SO_BINDTODEVICE, SO_RCVBUF/SO_SNDBUF (reported doubled).
 */
package org.example.lb.l4.nativeio;
