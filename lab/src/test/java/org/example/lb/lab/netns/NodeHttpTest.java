package org.example.lb.lab.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Why a node's admin endpoint gave no JSON, from what curl and ip netns exec printed (recorded on this machine). */
class NodeHttpTest {
  private static Exec.Result curl(int exit, String stdout, String stderr) {
    return new Exec.Result(List.of("ip", "netns", "exec", "LB4-1", "curl", "-sS", "--max-time", "2",
        "http://127.0.0.1:9200/status"), exit, stdout, stderr);
  }

  @Test
  void jsonIsTheBody() {
    NodeHttp.Reply reply = NodeHttp.reply(curl(0, "{\"serving\":true}", ""));
    assertThat(reply.problem()).isEmpty();
    assertThat(reply.body()).hasValueSatisfying(j -> assertThat(j.path("serving").asBoolean()).isTrue());
  }

  @Test
  void eachFailureSaysWhyInAFewWords() {
    assertThat(NodeHttp.reply(curl(255, "", "Cannot open network namespace \"LB4-1\": No such file or directory\n"))
        .problem()).isEqualTo("namespace missing");
    assertThat(NodeHttp.reply(curl(7, "", "curl: (7) Failed to connect to 127.0.0.1 port 9200 after 0 ms: "
        + "Couldn't connect to server\n")).problem()).isEqualTo("connection refused");
    assertThat(NodeHttp.reply(curl(28, "", "curl: (28) Operation timed out after 2001 milliseconds with 0 bytes "
        + "received\n")).problem()).isEqualTo("no answer within 2 s");
    assertThat(NodeHttp.reply(curl(0, "", "")).problem()).isEqualTo("empty answer");
    assertThat(NodeHttp.reply(curl(0, "<html>Not Found</html>\n", "")).problem())
        .isEqualTo("not JSON: <html>Not Found</html>");
    assertThat(NodeHttp.reply(curl(6, "", "curl: (6) Could not resolve host: x\n")).problem())
        .isEqualTo("curl exit 6: curl: (6) Could not resolve host: x");
    assertThat(NodeHttp.reply(curl(7, "", "")).body()).isEmpty();
  }

  @Test
  void anotherCommandsExitIsNotReadAsCurls() {
    Exec.Result ip = new Exec.Result(List.of("ip", "netns", "exec", "R1", "ip", "-j", "-4", "route", "show",
        "198.51.100.1"), 7, "", "");
    assertThat(NodeHttp.failure(ip)).isEqualTo("ip exit 7");
  }
}
