#!/usr/bin/env bash
# Fails when the generated protobuf code differs from what is committed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/protocgen.sh"

changes="$(git status --porcelain --untracked-files=all -- '*.pb.go' '*.pb.gw.go')"
if [[ -n "$changes" ]]; then
	echo "generated protobuf code is out of date; run 'make proto-gen' and commit the result:" >&2
	echo "$changes" >&2
	git --no-pager diff -- '*.pb.go' '*.pb.gw.go' >&2
	exit 1
fi
