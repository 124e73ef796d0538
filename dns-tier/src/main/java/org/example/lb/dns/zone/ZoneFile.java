package org.example.lb.dns.zone;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.example.lb.dns.wire.WireName;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Reads a zone from an RFC 1035 §5 master file with dnsjava's {@link Master} (no parser of our own), then checks
 * what a server needs: one SOA, at the apex (RFC 1035 §5.2); NS records at the apex; every owner inside the zone;
 * class IN only; a CNAME alone at its name (RFC 1034 §3.6.2, RFC 2181 §10.1); no DNAME (not synthesized here).
 * Every failure is one line naming the file and line.
 *
 * <p>{@code $INCLUDE} is refused (a zone is one file, as gdnsd has it); {@code $GENERATE} is expanded.
 */
public final class ZoneFile {
  /** Types that are part of another record's semantics or need DNSSEC, refused in a zone. */
  private static final Set<Integer> REFUSED_TYPES = Set.of(Type.DNAME, Type.OPT);

  private ZoneFile() {}

  /**
   * Loads the zone {@code origin} from {@code file}.
   *
   * @throws ZoneException with {@code file:line: reason}
   */
  public static Zone load(WireName origin, Path file) throws ZoneException {
    byte[] text;
    try {
      text = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ZoneException(file + ": no such file (expected: a readable zone file)");
    } catch (IOException e) {
      throw new ZoneException(file + ": cannot read: " + e.getMessage() + " (expected: a readable zone file)");
    }
    String[] lines = new String(text, StandardCharsets.UTF_8).split("\n", -1);
    Name originName;
    try {
      originName = Name.fromString(origin.toString());
    } catch (TextParseException e) {
      throw new ZoneException(file + ": zone name " + origin + ": " + e.getMessage());
    }
    LineCountingStream in = new LineCountingStream(new ByteArrayInputStream(text));
    List<ZoneRecord> records = new ArrayList<>();
    try (Master master = new Master(in, originName)) {
      master.disableIncludes(true);
      while (true) {
        int before = in.newlines;
        Record r = master.nextRecord();
        if (r == null) {
          break;
        }
        records.add(new ZoneRecord(r, firstLine(lines, before, in.newlines)));
      }
    } catch (IOException | RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      // dnsjava says "<none>:LINE: why" for a stream; name the file instead
      throw new ZoneException(message.startsWith("<none>:") ? file + message.substring("<none>".length())
          : file + ":" + (in.newlines + 1) + ": " + message);
    }
    check(origin, originName, file, records);
    return new Zone(origin, file, records);
  }

  /**
   * The first line of a record that dnsjava read after line {@code before} up to line {@code last}: the first line
   * in between that is neither blank, a comment nor a {@code $} directive.
   */
  private static int firstLine(String[] lines, int before, int last) {
    for (int i = before; i < last && i < lines.length; i++) {
      String l = lines[i].strip();
      if (!l.isEmpty() && !l.startsWith(";") && !l.startsWith("$")) {
        return i + 1;
      }
    }
    return Math.max(last, 1);
  }

  private static void check(WireName origin, Name originName, Path file, List<ZoneRecord> records)
      throws ZoneException {
    ZoneRecord soa = null;
    boolean apexNs = false;
    Map<Name, ZoneRecord> cnames = new HashMap<>();
    Map<Name, ZoneRecord> others = new HashMap<>();
    for (ZoneRecord zr : records) {
      Record r = zr.record();
      String at = file + ":" + zr.line() + ": ";
      if (r.getDClass() != DClass.IN) {
        throw new ZoneException(at + r.getName() + ": class " + DClass.string(r.getDClass()) + " (expected: IN)");
      }
      if (!r.getName().subdomain(originName)) {
        throw new ZoneException(at + r.getName() + ": outside the zone (expected: a name at or below " + origin + ")");
      }
      if (REFUSED_TYPES.contains(r.getType())) {
        throw new ZoneException(at + r.getName() + ": type " + Type.string(r.getType())
            + " (expected: a type dns-tier serves; DNAME is not synthesized)");
      }
      if (r.getType() == Type.SOA) {
        if (!r.getName().equals(originName)) {
          throw new ZoneException(at + r.getName() + ": SOA below the apex (expected: the SOA at " + origin + ")");
        }
        if (soa != null) {
          throw new ZoneException(at + r.getName() + ": a second SOA (expected: one, first at line " + soa.line()
              + ")");
        }
        soa = zr;
      }
      if (r.getType() == Type.NS && r.getName().equals(originName)) {
        apexNs = true;
      }
      if (r.getType() == Type.CNAME) {
        ZoneRecord other = others.get(r.getName());
        ZoneRecord cname = cnames.get(r.getName());
        if (other != null || cname != null) {
          throw new ZoneException(at + r.getName() + ": CNAME and other data (expected: a CNAME alone at its name; "
              + "see line " + (other != null ? other : cname).line() + ")");
        }
        cnames.put(r.getName(), zr);
      } else {
        ZoneRecord cname = cnames.get(r.getName());
        if (cname != null) {
          throw new ZoneException(at + r.getName() + ": " + Type.string(r.getType())
              + " beside a CNAME (expected: a CNAME alone at its name; see line " + cname.line() + ")");
        }
        others.putIfAbsent(r.getName(), zr);
      }
    }
    if (soa == null) {
      throw new ZoneException(file + ":1: no SOA record (expected: an SOA at " + origin + ")");
    }
    if (!apexNs) {
      throw new ZoneException(file + ":" + soa.line() + ": no NS records at the apex (expected: at least one NS at "
          + origin + ")");
    }
  }

  /**
   * Hands the parser one line per read and counts the lines handed out, so the count after a record is the line it
   * ends on (the parser reads no further than the end of the record it returns).
   */
  private static final class LineCountingStream extends FilterInputStream {
    int newlines;

    LineCountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      if (c == '\n') {
        newlines++;
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = 0;
      while (n < len) {
        int c = in.read();
        if (c < 0) {
          break;
        }
        b[off + n++] = (byte) c;
        if (c == '\n') {
          newlines++;
          break;
        }
      }
      return n == 0 && len > 0 ? -1 : n;
    }
  }
}
