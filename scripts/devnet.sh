#!/usr/bin/env bash
# Runs a BalanceAI devnet: chain id balanceai-devnet, 1 s blocks, state in $DEVNET_HOME (default
# .devnet/ in the repository). One node runs; the genesis has a second validator (validator2,
# 9 % of the power, its consensus key in $DEVNET_HOME/validator2-node, never started) so that
# stake can be spread over two validators; the devnet's slashing params never jail it for
# downtime. The first run creates the chain; later runs resume it. --reset deletes it first.
# Ctrl-C stops the node cleanly.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BAID="${BAID:-$root/build/baid}"
HOME_DIR="${DEVNET_HOME:-$root/.devnet}"
CHAIN_ID="${CHAIN_ID:-balanceai-devnet}"
KEYRING=(--keyring-backend test --home "$HOME_DIR")

# Genesis supply: 5,880,000 BAI, in ubai (1 BAI = 1,000,000 ubai).
VALIDATOR_BALANCE=2680000000000ubai
VALIDATOR_STAKE=1000000000000ubai
VALIDATOR2_BALANCE=200000000000ubai
VALIDATOR2_STAKE=100000000000ubai
ACCOUNT_BALANCE=1000000000000ubai
ACCOUNTS=(alice bob carol)

if [[ ! -x "$BAID" ]]; then
	echo "baid not found at $BAID: run 'make build' first" >&2
	exit 1
fi

if [[ "${1:-}" == "--reset" ]]; then
	echo "Removing $HOME_DIR"
	rm -rf "$HOME_DIR"
fi

init_chain() {
	echo "Creating a new devnet in $HOME_DIR"
	"$BAID" init devnet-validator --chain-id "$CHAIN_ID" --home "$HOME_DIR" >/dev/null 2>&1
	"$BAID" config set client chain-id "$CHAIN_ID" --home "$HOME_DIR" >/dev/null
	"$BAID" config set client keyring-backend test --home "$HOME_DIR" >/dev/null
	"$BAID" config set client node tcp://127.0.0.1:26657 --home "$HOME_DIR" >/dev/null

	: >"$HOME_DIR/accounts.txt"
	for name in validator "${ACCOUNTS[@]}" validator2; do
		mnemonic="$("$BAID" keys add "$name" "${KEYRING[@]}" --output json 2>/dev/null | sed -n 's/.*"mnemonic":"\([^"]*\)".*/\1/p')"
		printf '%s %s\n  mnemonic: %s\n' "$name" "$("$BAID" keys show "$name" -a "${KEYRING[@]}")" "$mnemonic" >>"$HOME_DIR/accounts.txt"
	done
	chmod 600 "$HOME_DIR/accounts.txt"

	"$BAID" genesis add-genesis-account validator "$VALIDATOR_BALANCE" "${KEYRING[@]}"
	for name in "${ACCOUNTS[@]}"; do
		"$BAID" genesis add-genesis-account "$name" "$ACCOUNT_BALANCE" "${KEYRING[@]}"
	done
	"$BAID" genesis add-genesis-account validator2 "$VALIDATOR2_BALANCE" "${KEYRING[@]}"
	"$BAID" genesis gentx validator "$VALIDATOR_STAKE" --chain-id "$CHAIN_ID" "${KEYRING[@]}" >/dev/null 2>&1
	# The second validator: its own consensus key and node id (from a node home of its own), its
	# gentx signed by its operator key in the devnet's keyring.
	local node2="$HOME_DIR/validator2-node"
	"$BAID" init devnet-validator2 --chain-id "$CHAIN_ID" --home "$node2" >/dev/null 2>&1
	"$BAID" genesis gentx validator2 "$VALIDATOR2_STAKE" --chain-id "$CHAIN_ID" "${KEYRING[@]}" \
		--moniker devnet-validator2 --pubkey "$("$BAID" comet show-validator --home "$node2")" \
		--node-id "$("$BAID" comet show-node-id --home "$node2")" \
		--output-document "$HOME_DIR/config/gentx/gentx-validator2.json" >/dev/null 2>&1
	"$BAID" genesis collect-gentxs --home "$HOME_DIR" >/dev/null 2>&1
	# validator2 never runs: no peers to dial.
	"$BAID" config set config -s p2p.persistent_peers "" --home "$HOME_DIR" >/dev/null

	# Short governance periods so proposals can be tried on a devnet; no downtime jailing, so the
	# offline validator2 stays bonded.
	sed -i.bak -e 's/"voting_period": "[0-9]*s"/"voting_period": "60s"/' \
		-e 's/"expedited_voting_period": "[0-9]*s"/"expedited_voting_period": "30s"/' \
		-e 's/"max_deposit_period": "[0-9]*s"/"max_deposit_period": "60s"/' \
		-e 's/"min_signed_per_window": "[0-9.]*"/"min_signed_per_window": "0.000000000000000000"/' "$HOME_DIR/config/genesis.json"
	rm -f "$HOME_DIR/config/genesis.json.bak"
	"$BAID" genesis validate --home "$HOME_DIR" >/dev/null

	# 1 s blocks; every endpoint on 127.0.0.1.
	"$BAID" config set config -s consensus.timeout_commit 1s --home "$HOME_DIR" >/dev/null
	"$BAID" config set config -s rpc.laddr tcp://127.0.0.1:26657 --home "$HOME_DIR" >/dev/null
	"$BAID" config set config -s p2p.laddr tcp://127.0.0.1:26656 --home "$HOME_DIR" >/dev/null
	"$BAID" config set config -s rpc.pprof_laddr 127.0.0.1:6060 --home "$HOME_DIR" >/dev/null
	"$BAID" config set app api.address tcp://127.0.0.1:1317 --home "$HOME_DIR" >/dev/null
	"$BAID" config set app api.enabled-unsafe-cors true --home "$HOME_DIR" >/dev/null
	"$BAID" config set app grpc.address 127.0.0.1:9090 --home "$HOME_DIR" >/dev/null
}

if [[ ! -f "$HOME_DIR/config/genesis.json" ]]; then
	init_chain
else
	echo "Resuming the devnet in $HOME_DIR (make devnet-reset starts a fresh one)"
fi

alice="$("$BAID" keys show alice -a "${KEYRING[@]}")"
bob="$("$BAID" keys show bob -a "${KEYRING[@]}")"
cat <<INFO

BalanceAI devnet ($CHAIN_ID)
  RPC      http://127.0.0.1:26657
  REST     http://127.0.0.1:1317
  gRPC     127.0.0.1:9090
  Dashboard http://127.0.0.1:1317/dashboard/
  home     $HOME_DIR (test keyring)

Accounts (test keyring, also in $HOME_DIR/accounts.txt):
$(cat "$HOME_DIR/accounts.txt")

Try, in another terminal:
  $BAID tx bank send alice $bob 1000000ubai --fees 5000ubai --home $HOME_DIR -y
  $BAID q bank balances $bob --home $HOME_DIR
  curl http://127.0.0.1:1317/cosmos/bank/v1beta1/balances/$bob

Dashboard: open http://127.0.0.1:1317/dashboard/ in a browser with Keplr, or run
  (cd dashboard && npm ci && npm run try)
to open it in Chromium with a test wallet holding alice's key (dashboard/README.md).

Ctrl-C stops the node; 'make devnet' resumes it.

INFO

exec "$BAID" start --home "$HOME_DIR"
