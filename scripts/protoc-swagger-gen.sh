#!/usr/bin/env bash
# Generates one OpenAPI (Swagger 2.0) document for the Query services of every
# module, from the query.proto files under proto/.
# Usage: protoc-swagger-gen.sh [output file] (default docs/openapi/openapi.json)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/build/bin"
out="$root/build/openapi"
target="${1:-$root/docs/openapi/openapi.json}"
cd "$root"

for tool in buf protoc-gen-swagger; do
	if [[ ! -x "$bin/$tool" ]]; then
		"$root/scripts/prototools.sh"
		break
	fi
done

paths=()
while IFS= read -r f; do
	paths+=(--path "$f")
done < <(find proto -name query.proto | LC_ALL=C sort)
if [[ ${#paths[@]} -eq 0 ]]; then
	echo "protoc-swagger-gen: no query.proto under proto/" >&2
	exit 1
fi

rm -rf "$out"
trap 'rm -rf "$out"' EXIT

"$bin/buf" generate --template buf.gen.swagger.yaml "${paths[@]}"

mkdir -p "$(dirname "$target")"
cp "$out/balanceai.swagger.json" "$target"
