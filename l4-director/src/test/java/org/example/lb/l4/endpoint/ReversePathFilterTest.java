package org.example.lb.l4.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.example.lb.common.cli.ServiceMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule without a kernel; EndpointNodeTest checks it against the kernel. */
class ReversePathFilterTest {
  @TempDir
  Path root;

  private ReversePathFilter sysctls(int all, int device, boolean hasAddress) throws Exception {
    Files.createDirectories(root.resolve("all"));
    Files.createDirectories(root.resolve("tun9"));
    Files.writeString(root.resolve("all/rp_filter"), all + "\n");
    Files.writeString(root.resolve("tun9/rp_filter"), device + "\n");
    return ReversePathFilter.of(root, "tun9", hasAddress);
  }

  @Test
  void onlyFilteringOffOrLooseOnADeviceWithAnAddressLetsPacketsIn() {
    assertThat(ReversePathFilter.passes(0, 0, false)).isTrue();
    assertThat(ReversePathFilter.passes(0, 2, false)).isFalse();
    assertThat(ReversePathFilter.passes(0, 2, true)).isTrue();
    assertThat(ReversePathFilter.passes(1, 2, true)).as("max(1, 2) is loose").isTrue();
    assertThat(ReversePathFilter.passes(1, 0, true)).isFalse();
    assertThat(ReversePathFilter.passes(2, 0, false)).isFalse();
  }

  @Test
  void theDeviceFixNeverNeedsConfAll() {
    assertThat(ReversePathFilter.deviceFix(0, false)).isZero();
    assertThat(ReversePathFilter.deviceFix(1, true)).isEqualTo(2);
    assertThat(ReversePathFilter.deviceFix(1, false)).isEqualTo(ReversePathFilter.NO_FIX);
    assertThat(ReversePathFilter.deviceFix(2, false)).isEqualTo(ReversePathFilter.NO_FIX);
  }

  @Test
  void passingSettingIsDescribedAndLeftAlone() throws Exception {
    assertThat(sysctls(0, 0, false).check(true)).isEqualTo(
        "rp_filter 0 (net.ipv4.conf.all.rp_filter=0, net.ipv4.conf.tun9.rp_filter=0, no IPv4 address on tun9): "
            + "decapsulated packets pass");
    assertThat(Files.readString(root.resolve("tun9/rp_filter"))).isEqualTo("0\n");
  }

  @Test
  void relaxWritesTheDeviceValueOnly() throws Exception {
    String description = sysctls(1, 1, true).check(true);

    assertThat(Files.readString(root.resolve("tun9/rp_filter"))).isEqualTo("2\n");
    assertThat(Files.readString(root.resolve("all/rp_filter"))).isEqualTo("1\n");
    assertThat(description).isEqualTo("rp_filter 2 (net.ipv4.conf.all.rp_filter=1, net.ipv4.conf.tun9.rp_filter=2, "
        + "set from 1 by relaxReversePathFilter): decapsulated packets pass");
  }

  @Test
  void withoutRelaxTheErrorNamesTheSysctl() throws Exception {
    ReversePathFilter filter = sysctls(1, 0, true);

    assertThatThrownBy(() -> filter.check(false)).isInstanceOf(ServiceMain.UserError.class)
        .hasMessage("reverse-path filtering (net.ipv4.conf.all.rp_filter=1, net.ipv4.conf.tun9.rp_filter=0) would "
            + "drop every decapsulated IPv4 packet: set sysctl net.ipv4.conf.tun9.rp_filter=2, or "
            + "relaxReversePathFilter: true to let the endpoint set it");
    assertThat(Files.readString(root.resolve("tun9/rp_filter"))).isEqualTo("0\n");
  }

  @Test
  void unreadableValueIsAnError() throws Exception {
    ReversePathFilter filter = sysctls(0, 0, false);
    Files.writeString(root.resolve("all/rp_filter"), "strict\n");

    assertThatThrownBy(() -> filter.check(false)).hasMessageEndingWith("all/rp_filter: \"strict\" (expected: 0, 1 or 2)");
  }
}
