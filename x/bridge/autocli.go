package bridge

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/balanceai/balanceai/x/bridge/types"
)

// AutoCLIOptions implements autocli.HasAutoCLIConfig: every query and tx of the bridge.
func (am AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Params",
					Use:       "params",
					Short:     "Show the bridge params and the pause switch",
					Example:   "baid q bridge params",
				},
				{
					RpcMethod: "Totals",
					Use:       "totals",
					Short:     "Show the bridge accounting (locked, released, refunded, wBAI outstanding) and today's volumes",
					Example:   "baid q bridge totals",
				},
				{
					RpcMethod:      "OutboundTransfer",
					Use:            "outbound [nonce]",
					Short:          "Show one outbound (BAI -> wBAI) transfer",
					Example:        "baid q bridge outbound 1",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "nonce"}},
				},
				{
					RpcMethod: "OutboundTransfers",
					Use:       "outbounds",
					Short:     "List outbound transfers, optionally of one sender",
					Example:   "baid q bridge outbounds --sender bai1...\nbaid q bridge outbounds --page-limit 10",
				},
				{
					RpcMethod:      "InboundClaim",
					Use:            "inbound [claim-id]",
					Short:          "Show one inbound (wBAI -> BAI) claim with its votes",
					Example:        "baid q bridge inbound 3f1c...e9 (64 hex digits)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "claim_id"}},
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Lock",
					Use:       "lock [eth-recipient] [amount]",
					Short:     "Lock BAI to receive wBAI at an Ethereum address",
					Long:      "Moves the amount into the bridge account and creates an outbound transfer for the attesters. The recipient must be 0x + 40 hex digits; mixed case must carry a valid EIP-55 checksum.",
					Example:   "baid tx bridge lock 0x52908400098527886E0F7030069857D2E4169EE7 10000000ubai --from alice",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "eth_recipient"}, {ProtoField: "amount"},
					},
				},
				{
					RpcMethod: "AttestOutbound",
					Use:       "attest-outbound [nonce] [eth-tx-hash] [success]",
					Short:     "Attest the outcome of an outbound transfer's wBAI mint (attesters only)",
					Example:   "baid tx bridge attest-outbound 1 0x<64-hex-tx-hash> true --from val",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "nonce"}, {ProtoField: "eth_tx_hash"}, {ProtoField: "success"},
					},
				},
				{
					RpcMethod: "AttestInbound",
					Use:       "attest-inbound [eth-tx-hash] [log-index] [eth-block] [eth-sender] [recipient] [amount]",
					Short:     "Attest a wBAI burn on Ethereum; at threshold the BAI is released (attesters only)",
					Example:   "baid tx bridge attest-inbound 0x<64-hex-tx-hash> 3 19000000 0x52908400098527886E0F7030069857D2E4169EE7 bai1... 4000000ubai --from val",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "eth_tx_hash"}, {ProtoField: "log_index"}, {ProtoField: "eth_block"},
						{ProtoField: "eth_sender"}, {ProtoField: "recipient"}, {ProtoField: "amount"},
					},
				},
				{
					RpcMethod:      "SetPaused",
					Use:            "set-paused [true|false]",
					Short:          "Pause (attester or authority) or unpause (authority only) the bridge",
					Example:        "baid tx bridge set-paused true --from val",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "paused"}},
				},
				{RpcMethod: "UpdateParams", Skip: true}, // update-params-proposal: internal/modcli
			},
		},
	}
}
