//go:build e2e

package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/types/bech32"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/balanceai/balanceai/testutil/e2e"
)

// Addresses and hashes of the bridge scenario (EIP-55 examples from the EIP).
const (
	bridgeChainID   = "balanceai-bridge-e2e"
	wbaiContract    = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
	ethRecipient    = "0x52908400098527886E0F7030069857D2E4169EE7"
	ethBurner       = "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"
	mintTxHash      = "0x1111111111111111111111111111111111111111111111111111111111111111"
	burnTxHash      = "0x2222222222222222222222222222222222222222222222222222222222222222"
	bigBurnTxHash   = "0x3333333333333333333333333333333333333333333333333333333333333333"
	bridgeBalance   = "1000000000000ubai"
	bridgeFeeUBAI   = 5000
	bridgeCodespace = "bridge"
)

type bridgeTotals struct {
	Totals struct {
		TotalLocked     string `json:"total_locked"`
		TotalReleased   string `json:"total_released"`
		TotalRefunded   string `json:"total_refunded"`
		WbaiOutstanding string `json:"wbai_outstanding"`
		LockedBalance   string `json:"locked_balance"`
	} `json:"totals"`
	Day           string `json:"day"`
	OutboundToday string `json:"outbound_today"`
	InboundToday  string `json:"inbound_today"`
}

type bridgeCoin struct {
	Denom  string `json:"denom"`
	Amount string `json:"amount"`
}

type outboundTransfer struct {
	Nonce        string     `json:"nonce"`
	Sender       string     `json:"sender"`
	EthRecipient string     `json:"eth_recipient"`
	Amount       bridgeCoin `json:"amount"`
	Status       string     `json:"status"`
	EthTxHash    string     `json:"eth_tx_hash"`
	Attestations []struct {
		Attester  string `json:"attester"`
		EthTxHash string `json:"eth_tx_hash"`
		Success   bool   `json:"success"`
	} `json:"attestations"`
}

type inboundClaim struct {
	Claim struct {
		ClaimID        string     `json:"claim_id"`
		EthTxHash      string     `json:"eth_tx_hash"`
		LogIndex       string     `json:"log_index"`
		Recipient      string     `json:"recipient"`
		Amount         bridgeCoin `json:"amount"`
		Status         string     `json:"status"`
		FailureReason  string     `json:"failure_reason"`
		ExecutedHeight string     `json:"executed_height"`
		Contents       []struct {
			ContentHash string     `json:"content_hash"`
			Recipient   string     `json:"recipient"`
			Amount      bridgeCoin `json:"amount"`
			Voters      []string   `json:"voters"`
		} `json:"contents"`
	} `json:"claim"`
}

// bridgeClaimID derives a claim id as x/bridge/README.md specifies it:
// hex(SHA-256(BE64(ethereum_chain_id) ‖ tx_hash[32] ‖ BE64(log_index))).
func bridgeClaimID(t *testing.T, chainID uint64, txHash string, logIndex uint64) string {
	t.Helper()
	raw, err := hex.DecodeString(strings.TrimPrefix(txHash, "0x"))
	require.NoError(t, err)
	require.Len(t, raw, 32)
	buf := binary.BigEndian.AppendUint64(nil, chainID)
	buf = append(buf, raw...)
	buf = binary.BigEndian.AppendUint64(buf, logIndex)
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

// setBridgeGenesis enables the bridge in a genesis file with the given attesters and threshold.
func setBridgeGenesis(t *testing.T, genesisPath string, attesters []string, threshold int) {
	t.Helper()
	bz, err := os.ReadFile(genesisPath)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(bz))
	dec.UseNumber() // keep every number of the genesis file exactly as written
	var genesis map[string]any
	require.NoError(t, dec.Decode(&genesis))
	appState := genesis["app_state"].(map[string]any)
	bridge := appState["bridge"].(map[string]any)
	bridge["params"] = map[string]any{
		"enabled":               true,
		"ethereum_chain_id":     "1",
		"token_contract":        wbaiContract,
		"attesters":             attesters,
		"attestation_threshold": threshold,
		"min_transfer":          "1000000",     // 1 BAI
		"max_transfer":          "1000000000",  // 1,000 BAI
		"daily_outbound_limit":  "10000000000", // 10,000 BAI
		"daily_inbound_limit":   "10000000000", // 10,000 BAI
		"max_retries_per_block": 20,
	}
	out, err := json.MarshalIndent(genesis, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(genesisPath, out, 0o600))
}

// bridgeChain builds a one-validator chain with keys val, alice and bob, the bridge enabled with
// attesters {val, alice} and threshold 2, and starts it.
func bridgeChain(t *testing.T) (*e2e.Node, map[string]string) {
	t.Helper()
	n := e2e.NewNode(t, *baidBin, bridgeChainID, "val")
	n.Init()
	addrs := map[string]string{}
	for _, name := range []string{"val", "alice", "bob"} {
		addrs[name] = n.AddKey(name)
		n.MustRun("genesis", "add-genesis-account", name, bridgeBalance, "--keyring-backend", "test")
	}
	n.MustRun("genesis", "gentx", "val", "100000000000ubai", "--chain-id", bridgeChainID, "--keyring-backend", "test")
	n.MustRun("genesis", "collect-gentxs")
	setBridgeGenesis(t, n.Home+"/config/genesis.json", []string{addrs["val"], addrs["alice"]}, 2)
	n.MustRun("genesis", "validate")
	n.Start()
	n.WaitHeight(2, 60*time.Second)
	n.WaitREST(30 * time.Second)
	return n, addrs
}

// add returns a + b for a decimal integer string.
func add(t *testing.T, a string, b int64) string {
	t.Helper()
	return subtract(t, a, -b)
}

func restUBAI(t *testing.T, n *e2e.Node, addr string) string {
	t.Helper()
	var b balancesResponse
	n.RESTJSON("/cosmos/bank/v1beta1/balances/"+addr, &b)
	return b.ubai()
}

func restTotals(t *testing.T, n *e2e.Node) bridgeTotals {
	t.Helper()
	var tot bridgeTotals
	n.RESTJSON("/balanceai/bridge/v1/totals", &tot)
	return tot
}

func restClaim(t *testing.T, n *e2e.Node, id string) inboundClaim {
	t.Helper()
	var c inboundClaim
	n.RESTJSON("/balanceai/bridge/v1/inbound/"+id, &c)
	return c
}

func restOutbound(t *testing.T, n *e2e.Node, nonce string) outboundTransfer {
	t.Helper()
	var out struct {
		Transfer outboundTransfer `json:"transfer"`
	}
	n.RESTJSON("/balanceai/bridge/v1/outbound/"+nonce, &out)
	return out.Transfer
}

// signOnly signs an unsigned tx with `baid tx sign` and returns the signed tx JSON.
func signOnly(t *testing.T, n *e2e.Node, from string, unsigned []byte, signMode string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "unsigned.json")
	require.NoError(t, os.WriteFile(path, unsigned, 0o600))
	return n.MustRun("tx", "sign", path, "--from", from, "--keyring-backend", "test",
		"--chain-id", n.ChainID, "--node", n.RPCAddr(), "--sign-mode", signMode)
}

// broadcastSigned broadcasts a signed tx JSON and returns the CheckTx refusal or the block result.
func broadcastSigned(t *testing.T, n *e2e.Node, signed string) e2e.TxResult {
	t.Helper()
	path := filepath.Join(t.TempDir(), "signed.json")
	require.NoError(t, os.WriteFile(path, []byte(signed), 0o600))
	out := n.MustRun("tx", "broadcast", path, "--node", n.RPCAddr(), "--output", "json")
	var res e2e.TxResult
	require.NoError(t, json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &res), out)
	if res.Code != 0 {
		return res
	}
	return n.WaitTx(res.TxHash)
}

// requireRefused asserts a tx was refused by x/bridge with the registered error code and message.
func requireRefused(t *testing.T, res e2e.TxResult, code uint32, msg string) {
	t.Helper()
	require.Equal(t, code, res.Code, "want code %d (%s), got %d: %s", code, msg, res.Code, res.RawLog)
	require.Equal(t, bridgeCodespace, res.Codespace, res.RawLog)
	require.Contains(t, res.RawLog, msg)
}

// requireTotals asserts the bridge accounting over REST and that the bridge account holds
// exactly locked_balance.
func requireTotals(t *testing.T, n *e2e.Node, bridgeAddr, locked, released, outstanding, lockedBalance string) {
	t.Helper()
	tot := restTotals(t, n)
	require.Equal(t, locked, tot.Totals.TotalLocked, "total_locked")
	require.Equal(t, released, tot.Totals.TotalReleased, "total_released")
	require.Equal(t, "0", tot.Totals.TotalRefunded, "total_refunded")
	require.Equal(t, outstanding, tot.Totals.WbaiOutstanding, "wbai_outstanding")
	require.Equal(t, lockedBalance, tot.Totals.LockedBalance, "locked_balance")
	require.Equal(t, lockedBalance, restUBAI(t, n, bridgeAddr), "bridge account balance")
}

// TestBridgeDoneWhen is issue 8's "Done when" on a devnet with attesters {val, alice} and
// threshold 2, driven through the CLI (and one amino-JSON signed tx, as Keplr signs) and
// checked over REST.
func TestBridgeDoneWhen(t *testing.T) {
	n, addrs := bridgeChain(t)
	val, alice, bob := addrs["val"], addrs["alice"], addrs["bob"]
	bridgeAddr, err := bech32.ConvertAndEncode("bai", authtypes.NewModuleAddress("bridge"))
	require.NoError(t, err)

	// Params over REST: the devnet genesis took effect.
	var params struct {
		Params struct {
			Enabled              bool     `json:"enabled"`
			EthereumChainID      string   `json:"ethereum_chain_id"`
			TokenContract        string   `json:"token_contract"`
			Attesters            []string `json:"attesters"`
			AttestationThreshold int      `json:"attestation_threshold"`
			MinTransfer          string   `json:"min_transfer"`
			MaxTransfer          string   `json:"max_transfer"`
		} `json:"params"`
		Paused bool `json:"paused"`
	}
	n.RESTJSON("/balanceai/bridge/v1/params", &params)
	require.True(t, params.Params.Enabled)
	require.Equal(t, "1", params.Params.EthereumChainID)
	require.Equal(t, wbaiContract, params.Params.TokenContract)
	require.Equal(t, []string{val, alice}, params.Params.Attesters)
	require.Equal(t, 2, params.Params.AttestationThreshold)
	require.Equal(t, "1000000", params.Params.MinTransfer)
	require.Equal(t, "1000000000", params.Params.MaxTransfer)
	require.False(t, params.Paused)
	requireTotals(t, n, bridgeAddr, "0", "0", "0", "0")

	// 1. Locks to malformed addresses are refused by the chain and change nothing but the fee.
	aliceStart := restUBAI(t, n, alice)
	for _, bad := range []string{
		"0x1234", // too short
		"0x52908400098527886E0F7030069857D2E4169EEZ", // non-hex
		"0x52908400098527886e0F7030069857D2E4169EE7", // mixed case, wrong EIP-55 checksum
		"52908400098527886E0F7030069857D2E4169EE7",   // no 0x
	} {
		res := n.Tx("alice", "bridge", "lock", bad, "10000000ubai")
		requireRefused(t, res, 5, "invalid Ethereum address")
	}
	requireTotals(t, n, bridgeAddr, "0", "0", "0", "0")
	require.Equal(t, subtract(t, aliceStart, 4*bridgeFeeUBAI), restUBAI(t, n, alice))
	var list struct {
		Transfers []outboundTransfer `json:"transfers"`
	}
	n.RESTJSON("/balanceai/bridge/v1/outbound?sender="+alice, &list)
	require.Empty(t, list.Transfers)
	_, code := n.REST("/balanceai/bridge/v1/outbound/1")
	require.Equal(t, 404, code, "no outbound transfer exists yet")

	// 2. A 10 BAI lock, signed the Keplr way: unsigned proto JSON, then amino-JSON signing.
	aliceBefore := restUBAI(t, n, alice)
	unsigned := n.GenerateOnly("alice", "bridge", "lock", strings.ToLower(ethRecipient), "10000000ubai")
	require.Contains(t, string(unsigned), "/balanceai.bridge.v1.MsgLock")
	res := n.SignAndBroadcast("alice", unsigned, "amino-json")
	require.Zero(t, res.Code, res.RawLog)
	require.Equal(t, "1", res.Event("balanceai.bridge.v1.EventLock", "nonce"))
	requireTotals(t, n, bridgeAddr, "10000000", "0", "0", "10000000")
	require.Equal(t, "10000000", restTotals(t, n).OutboundToday)
	require.Equal(t, subtract(t, aliceBefore, 10_000_000+bridgeFeeUBAI), restUBAI(t, n, alice))

	out := restOutbound(t, n, "1")
	require.Equal(t, "1", out.Nonce)
	require.Equal(t, alice, out.Sender)
	require.Equal(t, ethRecipient, out.EthRecipient, "stored in EIP-55 form")
	require.Equal(t, bridgeCoin{Denom: "ubai", Amount: "10000000"}, out.Amount)
	require.Equal(t, "OUTBOUND_STATUS_PENDING", out.Status)

	n.RESTJSON("/balanceai/bridge/v1/outbound?sender="+alice, &list)
	require.Len(t, list.Transfers, 1)
	require.Equal(t, "1", list.Transfers[0].Nonce)
	n.RESTJSON("/balanceai/bridge/v1/outbound?sender="+bob, &list)
	require.Empty(t, list.Transfers)
	var cliTotals bridgeTotals
	n.Query(&cliTotals, "bridge", "totals")
	require.Equal(t, "10000000", cliTotals.Totals.TotalLocked)

	// 3. val and alice attest the wBAI mint of outbound 1: wBAI becomes outstanding, so BAI
	// can be released against it. The first vote alone does not finalise.
	res = n.Tx("val", "bridge", "attest-outbound", "1", mintTxHash, "true")
	require.Zero(t, res.Code, res.RawLog)
	require.Equal(t, "OUTBOUND_STATUS_PENDING", restOutbound(t, n, "1").Status)
	requireTotals(t, n, bridgeAddr, "10000000", "0", "0", "10000000")
	res = n.Tx("alice", "bridge", "attest-outbound", "1", mintTxHash, "true")
	require.Zero(t, res.Code, res.RawLog)
	out = restOutbound(t, n, "1")
	require.Equal(t, "OUTBOUND_STATUS_COMPLETED", out.Status)
	require.Equal(t, mintTxHash, out.EthTxHash)
	require.Len(t, out.Attestations, 2)
	requireTotals(t, n, bridgeAddr, "10000000", "0", "10000000", "10000000")

	// 4. An inbound claim for 4 BAI to bob: one attestation releases nothing, the second
	// releases the 4 BAI.
	claimID := bridgeClaimID(t, 1, burnTxHash, 7)
	bobBefore := restUBAI(t, n, bob)
	attest4 := []string{"bridge", "attest-inbound", burnTxHash, "7", "19000000", ethBurner, bob, "4000000ubai"}
	// val's vote is signed in amino-JSON mode too (uint64 fields and a Coin in the sign bytes).
	res = n.SignAndBroadcast("val", n.GenerateOnly("val", attest4...), "amino-json")
	require.Zero(t, res.Code, res.RawLog)
	require.Equal(t, claimID, res.Event("balanceai.bridge.v1.EventInboundAttested", "claim_id"))
	require.Equal(t, bobBefore, restUBAI(t, n, bob), "one attestation releases nothing")
	claim := restClaim(t, n, claimID)
	require.Equal(t, "CLAIM_STATUS_PENDING", claim.Claim.Status)
	require.Len(t, claim.Claim.Contents, 1)
	require.Equal(t, []string{val}, claim.Claim.Contents[0].Voters)
	requireTotals(t, n, bridgeAddr, "10000000", "0", "10000000", "10000000")

	res = n.Tx("alice", attest4...)
	require.Zero(t, res.Code, res.RawLog)
	require.Equal(t, claimID, res.Event("balanceai.bridge.v1.EventClaimExecuted", "claim_id"))
	require.Equal(t, add(t, bobBefore, 4_000_000), restUBAI(t, n, bob), "the second attestation releases 4 BAI")
	claim = restClaim(t, n, claimID)
	require.Equal(t, "CLAIM_STATUS_EXECUTED", claim.Claim.Status)
	require.Equal(t, bob, claim.Claim.Recipient)
	require.Equal(t, bridgeCoin{Denom: "ubai", Amount: "4000000"}, claim.Claim.Amount)
	require.NotEqual(t, "0", claim.Claim.ExecutedHeight)
	requireTotals(t, n, bridgeAddr, "10000000", "4000000", "6000000", "6000000")
	require.Equal(t, "4000000", restTotals(t, n).InboundToday)

	// 5. Replays of the executed claim release nothing more and are refused, whoever sends them
	// and whatever they claim.
	res = n.Tx("val", attest4...)
	requireRefused(t, res, 15, "inbound claim already executed")
	res = n.Tx("alice", attest4...)
	requireRefused(t, res, 15, "inbound claim already executed")
	res = n.Tx("val", "bridge", "attest-inbound", burnTxHash, "7", "19000000", ethBurner, val, "5000000ubai")
	requireRefused(t, res, 15, "inbound claim already executed")
	require.Equal(t, add(t, bobBefore, 4_000_000), restUBAI(t, n, bob))
	require.Equal(t, "CLAIM_STATUS_EXECUTED", restClaim(t, n, claimID).Claim.Status)
	requireTotals(t, n, bridgeAddr, "10000000", "4000000", "6000000", "6000000")

	// 6. A claim for 100 BAI with only 6 BAI locked releases nothing: it is recorded as FAILED
	// with its reason (not consumed), and a retry by an attester that voted is refused.
	bigID := bridgeClaimID(t, 1, bigBurnTxHash, 0)
	attest100 := []string{"bridge", "attest-inbound", bigBurnTxHash, "0", "19000100", ethBurner, bob, "100000000ubai"}
	res = n.Tx("val", attest100...)
	require.Zero(t, res.Code, res.RawLog)
	require.Equal(t, "CLAIM_STATUS_PENDING", restClaim(t, n, bigID).Claim.Status)
	res = n.Tx("alice", attest100...)
	require.Zero(t, res.Code, res.RawLog)
	require.Equal(t, bigID, res.Event("balanceai.bridge.v1.EventClaimFailed", "claim_id"))
	claim = restClaim(t, n, bigID)
	require.Equal(t, "CLAIM_STATUS_FAILED", claim.Claim.Status)
	require.Contains(t, claim.Claim.FailureReason, "exceeds the locked balance 6000000ubai")
	require.Equal(t, bridgeCoin{Denom: "ubai", Amount: "100000000"}, claim.Claim.Amount)
	res = n.Tx("val", attest100...)
	requireRefused(t, res, 17, "inbound claim cannot be paid yet")
	// The EndBlocker keeps retrying the queued claim; a few blocks later it still pays nothing.
	n.WaitHeight(n.Height()+2, 30*time.Second)
	require.Equal(t, "CLAIM_STATUS_FAILED", restClaim(t, n, bigID).Claim.Status)
	require.Equal(t, add(t, bobBefore, 4_000_000), restUBAI(t, n, bob))
	requireTotals(t, n, bridgeAddr, "10000000", "4000000", "6000000", "6000000")

	// 7. A non-attester cannot attest: bob's votes are refused and change nothing.
	bobNow := restUBAI(t, n, bob)
	res = n.Tx("bob", "bridge", "attest-inbound", "0x4444444444444444444444444444444444444444444444444444444444444444",
		"0", "19000200", ethBurner, bob, "1000000ubai")
	requireRefused(t, res, 11, "signer is not a bridge attester")
	res = n.Tx("bob", attest100...)
	requireRefused(t, res, 11, "signer is not a bridge attester")
	res = n.Tx("bob", "bridge", "attest-outbound", "1", mintTxHash, "false")
	requireRefused(t, res, 11, "signer is not a bridge attester")
	_, code = n.REST("/balanceai/bridge/v1/inbound/" + bridgeClaimID(t, 1,
		"0x4444444444444444444444444444444444444444444444444444444444444444", 0))
	require.Equal(t, 404, code, "a non-attester's vote creates no claim")
	require.Equal(t, subtract(t, bobNow, 3*bridgeFeeUBAI), restUBAI(t, n, bob))
	require.Equal(t, "CLAIM_STATUS_FAILED", restClaim(t, n, bigID).Claim.Status)
	require.Equal(t, "OUTBOUND_STATUS_COMPLETED", restOutbound(t, n, "1").Status)
	requireTotals(t, n, bridgeAddr, "10000000", "4000000", "6000000", "6000000")

	// 8. Governance changes the params with MsgUpdateParams in a proposal. Signed in amino-JSON
	// mode (Ledger), the signature must cover the params: a tampered copy is refused.
	newParams := fmt.Sprintf(`{"enabled":true,"ethereum_chain_id":"1","token_contract":"%s","attesters":["%s","%s"],`+
		`"attestation_threshold":2,"min_transfer":"1000000","max_transfer":"1000000000","daily_outbound_limit":"10000000000",`+
		`"daily_inbound_limit":"20000000000","max_retries_per_block":20}`, wbaiContract, val, alice)
	proposal := []string{"bridge", "update-params-proposal", newParams, "--deposit", "250000000ubai", "--title", "Raise the inbound limit", "--summary", "devnet"}
	signed := signOnly(t, n, "alice", n.GenerateOnly("alice", proposal...), "amino-json")
	tampered := strings.Replace(signed, `"attestation_threshold":2`, `"attestation_threshold":1`, 1)
	require.NotEqual(t, signed, tampered)
	res = broadcastSigned(t, n, tampered)
	require.Equal(t, uint32(4), res.Code, res.RawLog)
	require.Contains(t, res.RawLog, "signature verification failed")
	res = broadcastSigned(t, n, signed)
	require.Zero(t, res.Code, res.RawLog)
	var proposals struct {
		Proposals []struct {
			Messages []json.RawMessage `json:"messages"`
		} `json:"proposals"`
	}
	n.RESTJSON("/cosmos/gov/v1/proposals", &proposals)
	require.Len(t, proposals.Proposals, 1)
	require.Contains(t, string(proposals.Proposals[0].Messages[0]), `"daily_inbound_limit":"20000000000"`)
	require.Contains(t, string(proposals.Proposals[0].Messages[0]), `"attestation_threshold":2`)
}
