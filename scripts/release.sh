#!/usr/bin/env bash
# Release binaries of baid, reproducible byte for byte.
#
#   scripts/release.sh [platform...]     build the committed HEAD for each platform (default:
#                                        linux/amd64 linux/arm64 darwin/amd64 darwin/arm64) into
#                                        build/release: baid-<version>-<os>-<arch>.tar.gz + SHA256SUMS
#   scripts/release.sh check [platform]  build one platform (default linux/amd64) twice, from two
#                                        copies of HEAD at different paths, and require identical bytes
#
# What is built is `git archive HEAD`, never uncommitted changes: the binary says which commit it
# is (baid version --long) and anyone can rebuild it from that commit with the same Go toolchain.
# Binaries are static (CGO_ENABLED=0), built with -trimpath and -buildvcs=false; tarballs have
# sorted entries, owner 0:0, fixed modes and the commit time as mtime, and are gzipped without a
# name or timestamp. Env: RELEASE_DIR (default build/release), RELEASE_VERSION (default
# `git describe --tags --always` of HEAD).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

ALL_PLATFORMS="linux/amd64 linux/arm64 darwin/amd64 darwin/arm64"
RELEASE_DIR="${RELEASE_DIR:-$root/build/release}"
COMMIT="$(git rev-parse HEAD)"
VERSION="${RELEASE_VERSION:-$(git describe --tags --always HEAD)}"
EPOCH="$(git log -1 --format=%ct HEAD)"
export GOFLAGS=-buildvcs=false CGO_ENABLED=0
tmp=""
trap '[[ -z "$tmp" ]] || rm -rf "$tmp"' EXIT

ldflags() {
	printf '%s ' \
		"-X github.com/cosmos/cosmos-sdk/version.Name=BalanceAI" \
		"-X github.com/cosmos/cosmos-sdk/version.AppName=baid" \
		"-X github.com/cosmos/cosmos-sdk/version.Version=$VERSION" \
		"-X github.com/cosmos/cosmos-sdk/version.Commit=$COMMIT"
}

# export_source <dir>: the committed tree of HEAD in <dir>.
export_source() {
	mkdir -p "$1"
	git archive --format=tar HEAD | tar -x -C "$1"
}

# build <source dir> <output dir> <platform...>: tarballs and SHA256SUMS in <output dir>.
build() {
	local src="$1" out="$2"
	shift 2
	local stage
	stage="$(mktemp -d)"
	mkdir -p "$out"
	for platform in "$@"; do
		local goos="${platform%/*}" goarch="${platform#*/}"
		case "$platform" in
		linux/amd64 | linux/arm64 | darwin/amd64 | darwin/arm64) ;;
		*)
			echo "unsupported platform $platform (supported: $ALL_PLATFORMS)" >&2
			exit 2
			;;
		esac
		local name="baid-$VERSION-$goos-$goarch"
		echo "building $name" >&2
		mkdir -p "$stage/$name"
		(cd "$src" && GOOS="$goos" GOARCH="$goarch" go build -trimpath -ldflags "$(ldflags)" -o "$stage/$name/baid" ./cmd/baid)
		cp "$src/README.md" "$stage/$name/README.md"
		chmod 0755 "$stage/$name/baid"
		chmod 0644 "$stage/$name/README.md"
		tar --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner \
			--mode='u+rw,go+r,go-w,a+X' --format=gnu -C "$stage" -cf - "$name" |
			gzip -n -9 >"$out/$name.tar.gz"
	done
	rm -rf "$stage"
	(cd "$out" && LC_ALL=C sha256sum -- *.tar.gz >SHA256SUMS)
}

warn_uncommitted() {
	if [[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
		echo "note: the working tree has uncommitted changes; the release is built from HEAD ($COMMIT) without them" >&2
	fi
}

release() {
	local platforms=("$@")
	[[ ${#platforms[@]} -gt 0 ]] || read -r -a platforms <<<"$ALL_PLATFORMS"
	warn_uncommitted
	tmp="$(mktemp -d)"
	export_source "$tmp/src"
	rm -rf "$RELEASE_DIR"
	build "$tmp/src" "$RELEASE_DIR" "${platforms[@]}"
	echo "release $VERSION ($COMMIT) in $RELEASE_DIR:" >&2
	cat "$RELEASE_DIR/SHA256SUMS"
}

check() {
	local platform="${1:-linux/amd64}"
	warn_uncommitted
	tmp="$(mktemp -d)"
	# Two source trees at paths of different lengths: -trimpath must make the path irrelevant.
	export_source "$tmp/a/src"
	export_source "$tmp/second-build/balanceai-source"
	build "$tmp/a/src" "$tmp/a/out" "$platform"
	build "$tmp/second-build/balanceai-source" "$tmp/second-build/out" "$platform"
	local name="baid-$VERSION-${platform%/*}-${platform#*/}.tar.gz"
	if ! cmp "$tmp/a/out/$name" "$tmp/second-build/out/$name" || ! cmp "$tmp/a/out/SHA256SUMS" "$tmp/second-build/out/SHA256SUMS"; then
		echo "NOT reproducible: two builds of $COMMIT for $platform differ" >&2
		cat "$tmp/a/out/SHA256SUMS" "$tmp/second-build/out/SHA256SUMS" >&2
		exit 1
	fi
	# The checksum file verifies, and the binary reports the version and commit it was built from.
	(cd "$tmp/a/out" && sha256sum -c SHA256SUMS >&2)
	if [[ "$platform" == "$(go env GOOS)/$(go env GOARCH)" ]]; then
		tar -xzf "$tmp/a/out/$name" -C "$tmp/a"
		local info
		# JSON, not the YAML text: YAML quotes a version that reads as a number (an all-digit
		# short commit such as 9172054), JSON quotes every string alike.
		info="$("$tmp/a/${name%.tar.gz}/baid" version --long --output json 2>&1)"
		grep -qF "\"version\":\"$VERSION\"" <<<"$info" || { echo "the binary does not report version $VERSION:"$'\n'"$info" >&2; exit 1; }
		grep -qF "\"commit\":\"$COMMIT\"" <<<"$info" || { echo "the binary does not report commit $COMMIT:"$'\n'"$info" >&2; exit 1; }
	fi
	echo "reproducible: $(cat "$tmp/a/out/SHA256SUMS")"
}

case "${1:-}" in
check)
	shift
	check "$@"
	;;
-h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' ;;
*) release "$@" ;;
esac
