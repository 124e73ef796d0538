# Sourced by every launcher. Finds a JDK >= 25 (JAVA_HOME first, then /usr/lib/jvm/*),
# exports JAVA_HOME and JAVA, or prints one line saying none was found and exits 1.
lb_java_major() { # $1 = path to a java binary; prints its feature version
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
lb_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(lb_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}
if ! LB_JDK=$(lb_find_jdk); then
  echo "error: no JDK >= 25 found (looked at JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm/*); install one, e.g. a Temurin 25 package" >&2
  exit 1
fi
export JAVA_HOME="$LB_JDK"
export JAVA="$LB_JDK/bin/java"
LB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export LB_ROOT
