#!/usr/bin/env bash
# Validates the performance profiles in profiles/ and applies one.
#
#   ./profile apply [NAME] [--dry-run] [--all]
#        render k8s/overlays/NAME and the local run's settings; print what changed (default production)
#   ./profile validate [NAME...]   check profiles against the schema (default: all)
#   ./profile check                fail when a committed overlay is not what its profile renders
#   ./profile local NAME           render the local run's settings and print their folder
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLASSPATH_FILE="$ROOT/profiles/target/runtime-classpath.txt"

if [[ ! -f "$CLASSPATH_FILE" || ! -d "$ROOT/profiles/target/classes" ]]; then
  echo "building (first run only) ..." >&2
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl profiles -am) >&2
fi
case "${1:-}" in
  apply|validate|check|local|help|--help|-h)
    exec java -cp "$ROOT/profiles/target/classes:$(cat "$CLASSPATH_FILE")" \
      dev.inferpipe.profiles.ProfileCommand --root "$ROOT" "$@"
    ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
