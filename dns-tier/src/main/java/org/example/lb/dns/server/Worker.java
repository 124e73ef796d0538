package org.example.lb.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.example.lb.dns.answer.Responder;

/**
 * What one TCP event-loop thread answers with: its {@link Responder} and its two buffers, reused for every query it
 * handles (the thread handles one at a time). Confined to its thread. (UDP threads are {@link DatagramLoop}s.)
 */
final class Worker {
  private final Responder responder;
  private final byte[] in = new byte[65536];
  private final byte[] out = new byte[65536];

  Worker(Responder responder) {
    this.responder = responder;
  }

  /**
   * Answers the query in {@code query}'s readable bytes; null when it is dropped. The response is one pooled buffer,
   * with a two-byte length prefix when {@code tcp} (RFC 1035 §4.2.2).
   */
  ByteBuf answer(ByteBuf query, ByteBufAllocator alloc, boolean tcp) {
    int length = Math.min(query.readableBytes(), in.length);
    query.getBytes(query.readerIndex(), in, 0, length);
    int n = responder.respond(in, length, out, tcp);
    if (n < 0) {
      return null;
    }
    ByteBuf response = alloc.ioBuffer(tcp ? n + 2 : n);
    if (tcp) {
      response.writeShort(n);
    }
    return response.writeBytes(out, 0, n);
  }
}
