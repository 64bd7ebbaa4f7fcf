#!/usr/bin/env bash
# Copies the third-party .proto files this chain imports out of the Go module
# cache into third_party/proto, at the versions pinned by the root go.mod.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/third_party/proto"
cd "$root"

# moddir prints the module cache folder of a module at the version go.mod selects,
# downloading the module first when it is not in the cache yet.
moddir() {
	local dir
	dir="$(go list -m -f '{{.Dir}}' "$1")"
	if [[ -z "$dir" ]]; then
		go mod download "$1"
		dir="$(go list -m -f '{{.Dir}}' "$1")"
	fi
	if [[ -z "$dir" || ! -d "$dir" ]]; then
		echo "protovendor: cannot locate module $1" >&2
		exit 1
	fi
	printf '%s\n' "$dir"
}

sdk="$(moddir github.com/cosmos/cosmos-sdk)"
gogoproto="$(moddir github.com/cosmos/gogoproto)"
cosmosproto="$(moddir github.com/cosmos/cosmos-proto)"
gateway="$(moddir github.com/grpc-ecosystem/grpc-gateway)"

rm -rf "$dest"
mkdir -p "$dest/gogoproto" "$dest/cosmos_proto" "$dest/google/api"

cp -R "$sdk/proto/cosmos" "$sdk/proto/amino" "$sdk/proto/tendermint" "$dest/"
cp "$gogoproto/gogoproto/gogo.proto" "$dest/gogoproto/"
cp "$cosmosproto/proto/cosmos_proto/cosmos.proto" "$dest/cosmos_proto/"
for f in annotations.proto http.proto httpbody.proto; do
	cp "$gateway/third_party/googleapis/google/api/$f" "$dest/google/api/"
done

# Module cache files are read-only.
chmod -R u+w "$dest"

# Keep only .proto files.
find "$dest" -type f ! -name '*.proto' -delete
find "$dest" -type d -empty -delete
