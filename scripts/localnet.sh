#!/usr/bin/env bash
# Four BalanceAI validators as local processes on 127.0.0.1, from `baid testnet init-files`.
#
#   scripts/localnet.sh init           initialise the four homes and the shared genesis, start nothing
#   scripts/localnet.sh start [i...]   initialise once, then start the nodes that are not running
#   scripts/localnet.sh stop [i...]    stop nodes (all by default)
#   scripts/localnet.sh status         print each node's height
#   scripts/localnet.sh clean          stop everything and delete the localnet folder
#
# Node i listens on P2P 26656+100*i, RPC 26657+100*i, REST 1317+100*i and gRPC 9090+100*i.
# Homes, logs (node<i>.log) and pid files (node<i>.pid) live in ${LOCALNET_DIR:-.localnet}.
# Every validator takes a state-sync snapshot every ${SNAPSHOT_INTERVAL:-10} blocks and keeps the
# last ${SNAPSHOT_KEEP_RECENT:-2}, so a new node can join by state sync (docs/networks.md).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BAID="${BAID:-$root/build/baid}"
LOCALNET_DIR="${LOCALNET_DIR:-$root/.localnet}"
CHAIN_ID="${CHAIN_ID:-balanceai-localnet}"
COMMIT_TIMEOUT="${COMMIT_TIMEOUT:-1s}"
SNAPSHOT_INTERVAL="${SNAPSHOT_INTERVAL:-10}"
SNAPSHOT_KEEP_RECENT="${SNAPSHOT_KEEP_RECENT:-2}"
NODES=4

usage() {
	sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
}

rpc_port() { echo $((26657 + 100 * $1)); }
pid_file() { echo "$LOCALNET_DIR/node$1.pid"; }

is_running() {
	local pf
	pf="$(pid_file "$1")"
	[[ -f "$pf" ]] && kill -0 "$(cat "$pf")" 2>/dev/null
}

nodes_arg() {
	if [[ $# -eq 0 ]]; then
		seq 0 $((NODES - 1))
	else
		for i in "$@"; do
			[[ "$i" =~ ^[0-3]$ ]] || { echo "unknown node '$i' (0-3)" >&2; exit 2; }
			echo "$i"
		done
	fi
}

init_files() {
	if [[ -f "$LOCALNET_DIR/node0/config/genesis.json" ]]; then
		return
	fi
	if [[ ! -x "$BAID" ]]; then
		echo "baid not found at $BAID: run 'make build' first" >&2
		exit 1
	fi
	echo "Initialising a $NODES-validator localnet ($CHAIN_ID) in $LOCALNET_DIR"
	"$BAID" testnet init-files --v "$NODES" --output-dir "$LOCALNET_DIR" --chain-id "$CHAIN_ID" \
		--commit-timeout "$COMMIT_TIMEOUT" --keyring-backend test >/dev/null 2>&1
	for i in $(seq 0 $((NODES - 1))); do
		"$BAID" config set app state-sync.snapshot-interval "$SNAPSHOT_INTERVAL" --home "$LOCALNET_DIR/node$i" >/dev/null
		"$BAID" config set app state-sync.snapshot-keep-recent "$SNAPSHOT_KEEP_RECENT" --home "$LOCALNET_DIR/node$i" >/dev/null
	done
}

start() {
	init_files
	for i in $(nodes_arg "$@"); do
		if is_running "$i"; then
			echo "node$i already running (pid $(cat "$(pid_file "$i")"))"
			continue
		fi
		nohup "$BAID" start --home "$LOCALNET_DIR/node$i" >>"$LOCALNET_DIR/node$i.log" 2>&1 &
		echo $! >"$(pid_file "$i")"
		echo "node$i started (pid $!, RPC 127.0.0.1:$(rpc_port "$i"), REST 127.0.0.1:$((1317 + 100 * i)), gRPC 127.0.0.1:$((9090 + 100 * i)))"
	done
}

stop() {
	for i in $(nodes_arg "$@"); do
		if ! is_running "$i"; then
			rm -f "$(pid_file "$i")"
			continue
		fi
		local pid
		pid="$(cat "$(pid_file "$i")")"
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$pid" 2>/dev/null || true
		rm -f "$(pid_file "$i")"
		echo "node$i stopped"
	done
}

status() {
	for i in $(nodes_arg); do
		local height="stopped"
		if is_running "$i"; then
			height="$(curl -s --max-time 2 "http://127.0.0.1:$(rpc_port "$i")/status" |
				sed -n 's/.*"latest_block_height":"\([0-9]*\)".*/\1/p')"
			height="${height:-starting}"
		fi
		echo "node$i height=$height"
	done
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
init) init_files ;;
start) start "$@" ;;
stop) stop "$@" ;;
status) status ;;
clean)
	stop
	rm -rf "$LOCALNET_DIR"
	;;
*) usage ;;
esac
