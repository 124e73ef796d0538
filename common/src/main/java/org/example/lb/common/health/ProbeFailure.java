package org.example.lb.common.health;

/** Ends a probe early with the detail of its failed result. Never leaves the package. */
final class ProbeFailure extends Exception {
  private static final long serialVersionUID = 1L;

  ProbeFailure(String detail) {
    super(detail, null, false, false);
  }

  String detail() {
    return getMessage();
  }
}
