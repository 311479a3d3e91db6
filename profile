#!/usr/bin/env bash
# Validates the performance profiles in profiles/ and applies one.
#
#   ./profile apply [NAME] [--dry-run] [--all]
#        render k8s/overlays/NAME and the local run's settings; print what changed (default production)
#   ./profile validate [NAME...]   check profiles against the schema (default: all)
#   ./profile check                fail when a committed overlay is not what its profile renders
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLASSPATH_FILE="$ROOT/profiles/target/runtime-classpath.txt"
usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; }
# --help anywhere (./profile --help, ./profile apply --help): the usage, without building
[[ "${1:-}" == help ]] && { usage; exit 0; }
for arg in "$@"; do
  case "$arg" in --help|-h) usage; exit 0 ;; esac
done

case "${1:-}" in
  apply|validate|check)
    if [[ ! -f "$CLASSPATH_FILE" || ! -d "$ROOT/profiles/target/classes" ]]; then
      echo "building (first run only) ..." >&2
      (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl profiles -am) >&2
    fi
    exec java -cp "$ROOT/profiles/target/classes:$(cat "$CLASSPATH_FILE")" \
      dev.inferpipe.profiles.ProfileCommand --root "$ROOT" "$@"
    ;;
  *) usage; exit 2 ;;
esac
