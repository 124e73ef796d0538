# Sourced by service launchers: bin/NAME runs module NAME's jar, building it first if it is missing.
# Usage: lb_run_module MODULE MAIN_CLASS [args...]
lb_run_module() {
  local module=$1 main=$2; shift 2
  local jar="$LB_ROOT/$module/target/$module.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$LB_ROOT/$module/src/main" "$LB_ROOT/common/src/main" -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
    echo "building $module (first run or sources changed)..." >&2
    (cd "$LB_ROOT" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" mvn -B -q -DskipTests -pl "$module" -am package >&2) || { echo "error: build of $module failed" >&2; exit 1; }
    touch "$jar" # Maven leaves a jar whose classes did not change as it was (an edit in common alone): date it now
  fi
  exec "$JAVA" ${LB_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp "$jar:$LB_ROOT/$module/target/lib/*" "$main" "$@"
}
