package org.example.lb.l4.tunnel.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.example.lb.l4.packet.PacketView;
import org.example.lb.l4.packet.TestPackets;
import org.example.lb.l4.tunnel.Decapsulator;
import org.example.lb.l4.tunnel.Encapsulator;
import org.example.lb.l4.tunnel.TunnelEndpoint;
import org.example.lb.l4.tunnel.VipSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-packet cost of the director's parse + encapsulate and the LB7's decapsulate, for a TCP/IPv4 and a UDP/IPv6
 * packet. Run: {@code bin/build -q -pl l4-director -am test-compile}, then JMH's Main with the test class path and
 * {@code PacketPathBenchmark} (add {@code -prof gc} to see allocation per operation, expected 0).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PacketPathBenchmark {
    private final PacketView view = PacketView.forForwarding();
    private Encapsulator encapsulator;
    private Decapsulator decapsulator;
    private TunnelEndpoint lb7v4;
    private TunnelEndpoint lb7v6;
    private ByteBuffer ipv4;
    private ByteBuffer ipv6;
    private int ipv4Length;
    private int ipv6Length;

    @Setup
    public void setUp() throws UnknownHostException {
        TunnelEndpoint director4 = TunnelEndpoint.of(InetAddress.getByName("198.51.100.1"));
        TunnelEndpoint director6 = TunnelEndpoint.of(InetAddress.getByName("2001:db8:ffff::1"));
        lb7v4 = TunnelEndpoint.of(InetAddress.getByName("198.51.100.7"));
        lb7v6 = TunnelEndpoint.of(InetAddress.getByName("2001:db8:ffff::7"));
        encapsulator = Encapsulator.create(Optional.of(director4), Optional.of(director6), 1500, 0);
        decapsulator = Decapsulator.create(
                VipSet.of(List.of(InetAddress.getByName("203.0.113.10"), InetAddress.getByName("2001:db8:0:1::10"))),
                Optional.of(VipSet.of(List.of(director4.address(), director6.address()))));
        byte[] v4 = new TestPackets.Ipv4().payload(6, TestPackets.tcp(40000, 443, 0x10, 1000)).build();
        byte[] v6 = new TestPackets.Ipv6().extension(60, 8).payload(17, TestPackets.udp(40000, 443, 1000)).build();
        ipv4 = TestPackets.inBuffer(v4);
        ipv6 = TestPackets.inBuffer(v6);
        ipv4Length = v4.length;
        ipv6Length = v6.length;
    }

    @Benchmark
    public int parseAndEncapsulateIpv4() {
        view.parse(ipv4, TestPackets.HEADROOM, ipv4Length);
        return encapsulator.encapsulate(ipv4, view, lb7v4);
    }

    @Benchmark
    public int parseAndEncapsulateIpv6() {
        view.parse(ipv6, TestPackets.HEADROOM, ipv6Length);
        return encapsulator.encapsulate(ipv6, view, lb7v6);
    }

    @Benchmark
    public int roundTripIpv4() {
        view.parse(ipv4, TestPackets.HEADROOM, ipv4Length);
        encapsulator.encapsulate(ipv4, view, lb7v4);
        return decapsulator.decapsulateIpv4(ipv4, encapsulator.start(), encapsulator.length());
    }
}
