package org.example.lb.lab.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.OptionalDouble;

/**
 * A measured number as the report shows it: {@code value} (empty: not measured) in {@code unit}, rounded to
 * {@code decimals}.
 */
public record Quantity(OptionalDouble value, String unit, int decimals) {
  public static Quantity of(double value, String unit, int decimals) {
    return new Quantity(Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty(), unit, decimals);
  }

  public static Quantity of(OptionalDouble value, String unit, int decimals) {
    return new Quantity(value, unit, decimals);
  }

  /**
   * For the report: the value rounded half-up to {@link #decimals()} decimals, the integer part grouped by threes
   * with spaces from 10 000 up (as in docs/benchmarks.md: {@code 126 899}), then the unit; an em dash when not
   * measured.
   */
  public String text() {
    if (value.isEmpty()) {
      return "—";
    }
    String number = BigDecimal.valueOf(value.getAsDouble()).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    boolean negative = number.startsWith("-");
    String digits = negative ? number.substring(1) : number;
    int dot = digits.indexOf('.');
    String whole = dot < 0 ? digits : digits.substring(0, dot);
    if (whole.length() > 4) {
      StringBuilder grouped = new StringBuilder();
      for (int i = 0; i < whole.length(); i++) {
        if (i > 0 && (whole.length() - i) % 3 == 0) {
          grouped.append(' ');
        }
        grouped.append(whole.charAt(i));
      }
      whole = grouped.toString();
    }
    String text = (negative ? "-" : "") + whole + (dot < 0 ? "" : digits.substring(dot));
    return unit.isEmpty() ? text : unit.equals("%") ? text + " %" : text + " " + unit;
  }
}
