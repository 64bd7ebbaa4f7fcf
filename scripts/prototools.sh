#!/usr/bin/env bash
# Builds the pinned protobuf tools from tools/go.mod into build/bin.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$root/build/bin"
cd "$root/tools"
go build -o "$root/build/bin/" tool
