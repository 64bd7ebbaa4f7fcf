//go:build e2e

package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/balanceai/balanceai/testutil/e2e"
)

// The curation scenario of issue 5 (x/curation/README.md, docs/spec/curation.md).
const (
	cuChainID       = "balanceai-curation-e2e"
	cuCodespace     = "curation"
	cuEpoch         = 40 * time.Second
	cuReveal        = 20 * time.Second
	cuFlagVoting    = 40 * time.Second
	cuBond          = "10000000000ubai" // 10,000 BAI, min_curator_bond
	cuCollateral    = int64(1_000_000_000)
	cuDeposit       = int64(100_000_000) // 100 BAI, min_flag_deposit
	cuEvidenceCID   = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
	cuErrMismatch   = 17 // ErrCommitmentMismatch (x/curation/types/errors.go)
	cuEpochPath     = "/balanceai/curation/v1/epoch"
	cuMinCommitLeft = 12 * time.Second // commit-phase time the three commits need at most
	cuPhaseCommit   = "EPOCH_PHASE_COMMIT"
	cuPhaseReveal   = "EPOCH_PHASE_REVEAL"
	cuFlagOpen      = "FLAG_STATUS_OPEN"
	cuFlagUpheld    = "FLAG_STATUS_UPHELD"
)

// cuEpochInfo is the REST epoch answer.
type cuEpochInfo struct {
	Number      json.Number `json:"number"`
	Phase       string      `json:"phase"`
	Start       time.Time   `json:"start"`
	RevealStart time.Time   `json:"reveal_start"`
	End         time.Time   `json:"end"`
}

// cuFlag is a flag as REST prints it.
type cuFlag struct {
	ID            json.Number `json:"id"`
	ListingID     json.Number `json:"listing_id"`
	ListingKind   string      `json:"listing_kind"`
	Flagger       string      `json:"flagger"`
	EvidenceCid   string      `json:"evidence_cid"`
	Deposit       mpCoin      `json:"deposit"`
	Status        string      `json:"status"`
	VotingEnd     time.Time   `json:"voting_end"`
	UpholdWeight  string      `json:"uphold_weight"`
	RejectWeight  string      `json:"reject_weight"`
	Slashed       mpCoin      `json:"slashed"`
	FlaggerReward mpCoin      `json:"flagger_reward"`
}

// cuSetParams shortens the curation epoch (40 s, 20 s of it the reveal phase) and the flag
// voting period in a genesis file.
func cuSetParams(t *testing.T, genesisPath string) {
	t.Helper()
	bz, err := os.ReadFile(genesisPath)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(bz))
	dec.UseNumber() // keep every number of the genesis file exactly as written
	var genesis map[string]any
	require.NoError(t, dec.Decode(&genesis))
	appState := genesis["app_state"].(map[string]any)
	cu, ok := appState["curation"].(map[string]any)
	require.True(t, ok, "no curation section in the genesis app_state")
	params, ok := cu["params"].(map[string]any)
	require.True(t, ok, "no curation params in genesis")
	secs := func(d time.Duration) string { return fmt.Sprintf("%ds", int64(d/time.Second)) }
	params["epoch_duration"] = secs(cuEpoch)
	params["reveal_duration"] = secs(cuReveal)
	params["flag_voting_period"] = secs(cuFlagVoting)
	out, err := json.MarshalIndent(genesis, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(genesisPath, out, 0o600))
}

// cuEnv is the running curation devnet.
type cuEnv struct {
	t    *testing.T
	n    *e2e.Node
	mp   *mpEnv // the marketplace test's REST helpers (balances at a height)
	addr map[string]string
}

func (e *cuEnv) epoch() cuEpochInfo {
	e.t.Helper()
	var ep cuEpochInfo
	e.n.RESTJSON(cuEpochPath, &ep)
	return ep
}

func (e *cuEnv) epochNumber(ep cuEpochInfo) uint64 {
	e.t.Helper()
	v, err := strconv.ParseUint(ep.Number.String(), 10, 64)
	require.NoError(e.t, err)
	return v
}

func (e *cuEnv) flag(id uint64) cuFlag {
	e.t.Helper()
	var out struct {
		Flag cuFlag `json:"flag"`
	}
	e.n.RESTJSON(fmt.Sprintf("/balanceai/curation/v1/flags/%d", id), &out)
	return out.Flag
}

// txArgs completes a `baid tx` command line.
func (e *cuEnv) txArgs(from string, args []string, extra ...string) []string {
	out := append(append([]string{"tx"}, args...),
		"--from", from, "--keyring-backend", "test", "--chain-id", e.n.ChainID, "--node", e.n.RPCAddr())
	return append(out, extra...)
}

// send broadcasts a tx (sync mode) without waiting for its block, requires CheckTx to accept
// it and returns its hash and the command's stderr (commit-scores prints the salt there).
func (e *cuEnv) send(from string, args ...string) (hash, stderr string) {
	e.t.Helper()
	full := e.txArgs(from, args, "--yes", "--output", "json", "--fees", e2e.DefaultFees)
	out, errOut, err := e.n.Run(full...)
	require.NoError(e.t, err, "baid %s\nstdout: %s\nstderr: %s", strings.Join(full, " "), out, errOut)
	var res e2e.TxResult
	require.NoError(e.t, json.Unmarshal([]byte(e2e.LastJSONLine(out)), &res), "broadcast output: %s", out)
	require.Zero(e.t, res.Code, "CheckTx refused %s: %s", strings.Join(args, " "), res.RawLog)
	return res.TxHash, errOut
}

// amino builds a tx with --generate-only, signs it in amino-JSON mode (as Keplr and Ledger
// sign), broadcasts it and waits for its block; it returns the result and the build's stderr.
func (e *cuEnv) amino(from string, args ...string) (e2e.TxResult, string) {
	e.t.Helper()
	full := e.txArgs(from, args, "--generate-only", "--fees", e2e.DefaultFees)
	unsigned, errOut, err := e.n.Run(full...)
	require.NoError(e.t, err, "baid %s\nstderr: %s", strings.Join(full, " "), errOut)
	return e.n.SignAndBroadcast(from, []byte(unsigned), "amino-json"), errOut
}

var cuSaltLine = regexp.MustCompile(`(?m)^salt: (\S+)$`)

// salt parses the salt commit-scores prints.
func (e *cuEnv) salt(stderr string) string {
	e.t.Helper()
	m := cuSaltLine.FindStringSubmatch(stderr)
	require.Len(e.t, m, 2, "commit-scores printed no salt: %s", stderr)
	return m[1]
}

// ok asserts a tx succeeded in a block and returns its height.
func (e *cuEnv) ok(res e2e.TxResult) int64 {
	e.t.Helper()
	require.Zero(e.t, res.Code, "codespace %s: %s", res.Codespace, res.RawLog)
	h, err := strconv.ParseInt(res.Height, 10, 64)
	require.NoError(e.t, err)
	require.Positive(e.t, h)
	return h
}

// waitPhase waits until the chain is in the given phase of an epoch > after with at least
// left of the phase remaining (by the BFT times the epoch query reports), and returns it.
func (e *cuEnv) waitPhase(after int64, phase string, left time.Duration) cuEpochInfo {
	e.t.Helper()
	var ep cuEpochInfo
	e.n.Eventually(3*cuEpoch, fmt.Sprintf("%s of an epoch after %d with %s left", phase, after, left), func() bool {
		ep = e.epoch()
		end := ep.RevealStart
		if phase == cuPhaseReveal {
			end = ep.End
		}
		return int64(e.epochNumber(ep)) > after && ep.Phase == phase && time.Until(end) >= left
	})
	return ep
}

// blockTransfers returns the bank transfers of a block's Begin/EndBlock (CometBFT
// /block_results), as (sender, recipient, ubai amount).
func (e *cuEnv) blockTransfers(height int64) [][3]string {
	e.t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/block_results?height=%d", e.n.RPCPort, height))
	require.NoError(e.t, err)
	defer resp.Body.Close()
	var br struct {
		Result struct {
			Events []struct {
				Type       string `json:"type"`
				Attributes []struct {
					Key   string `json:"key"`
					Value string `json:"value"`
				} `json:"attributes"`
			} `json:"finalize_block_events"`
		} `json:"result"`
	}
	require.NoError(e.t, json.NewDecoder(resp.Body).Decode(&br))
	var out [][3]string
	for _, ev := range br.Result.Events {
		if ev.Type != "transfer" {
			continue
		}
		attrs := map[string]string{}
		for _, a := range ev.Attributes {
			attrs[a.Key] = a.Value
		}
		coins, err := sdk.ParseCoinsNormalized(attrs["amount"])
		require.NoError(e.t, err)
		out = append(out, [3]string{attrs["sender"], attrs["recipient"], coins.AmountOf("ubai").String()})
	}
	return out
}

// TestCurationDoneWhen is issue 5's "done when" on a devnet with a 40 s epoch and a 20 s reveal
// phase: three curators bonded 10,000 BAI each commit and reveal 80, 70 and 10 for one listing
// with `baid tx curation commit-scores` / `reveal-scores` (the CLI builds the commitment and
// prints the salt); a reveal with the wrong salt is refused; after the epoch the listing's score
// is 70; a flag upheld by the curators suspends the listing and slashes 50 % of its collateral,
// 10 % of the slash to the flagger and 90 % to models_fund, and the deposit comes back.
// cur1 signs its bond, commit, reveal and vote in amino-JSON mode (as Keplr signs).
func TestCurationDoneWhen(t *testing.T) {
	n, keys := e2e.SingleNodeChain(t, *baidBin, cuChainID, []string{"owner", "cur1", "cur2", "cur3", "flagger"}, mpBalance,
		func(genesisPath string) { cuSetParams(t, genesisPath) })
	e := &cuEnv{t: t, n: n, addr: map[string]string{}}
	for name, k := range keys {
		e.addr[name] = k.Address
	}
	e.mp = &mpEnv{t: t, n: n, addr: e.addr}
	curation := sdk.MustBech32ifyAddressBytes("bai", authtypes.NewModuleAddress("curation"))
	market := sdk.MustBech32ifyAddressBytes("bai", authtypes.NewModuleAddress("marketplace"))
	modelsFund := sdk.MustBech32ifyAddressBytes("bai", authtypes.NewModuleAddress("models_fund"))

	var params struct {
		Params struct {
			MinCuratorBond    mpCoin `json:"min_curator_bond"`
			EpochDuration     string `json:"epoch_duration"`
			RevealDuration    string `json:"reveal_duration"`
			FlagVotingPeriod  string `json:"flag_voting_period"`
			MinFlagDeposit    mpCoin `json:"min_flag_deposit"`
			FlagSlashFraction string `json:"flag_slash_fraction"`
		} `json:"params"`
	}
	n.RESTJSON("/balanceai/curation/v1/params", &params)
	require.Equal(t, mpCoin{"ubai", "10000000000"}, params.Params.MinCuratorBond)
	require.Equal(t, "40s", params.Params.EpochDuration)
	require.Equal(t, "20s", params.Params.RevealDuration)
	require.Equal(t, "40s", params.Params.FlagVotingPeriod)
	require.Equal(t, mpCoin{"ubai", strconv.FormatInt(cuDeposit, 10)}, params.Params.MinFlagDeposit)
	ep := e.epoch()
	require.Equal(t, cuEpoch, ep.End.Sub(ep.Start))
	require.Equal(t, cuReveal, ep.End.Sub(ep.RevealStart))

	// A model listing (1,000 BAI collateral) and three curators bonded 10,000 BAI each.
	res := n.Tx("owner", "marketplace", "register-model", "Llama Summariser", "nlp", "https://node.example.com/v1",
		cuEvidenceCID, "1.0.0", strconv.FormatInt(cuCollateral, 10)+"ubai")
	e.ok(res)
	require.Equal(t, "LISTING_STATUS_ACTIVE", e.mp.listing(1).Status)
	bondRes, _ := e.amino("cur1", "curation", "bond", cuBond)
	e.ok(bondRes)
	e.ok(n.Tx("cur2", "curation", "bond", cuBond))
	e.ok(n.Tx("cur3", "curation", "bond", cuBond))
	for _, c := range []string{"cur1", "cur2", "cur3"} {
		var cur struct {
			Curator struct {
				Bond       string `json:"bond"`
				Reputation string `json:"reputation"`
			} `json:"curator"`
		}
		n.RESTJSON("/balanceai/curation/v1/curators/"+e.addr[c], &cur)
		require.Equal(t, "10000000000", cur.Curator.Bond, c)
		require.Equal(t, "0.500000000000000000", cur.Curator.Reputation, c)
	}
	require.Equal(t, "30000000000", e.mp.balance(curation, 0).String())

	// Commit phase of a fresh epoch: 80, 70 and 10 for listing 1. The CLI picks and prints salts.
	ep = e.waitPhase(int64(e.epochNumber(e.epoch())), cuPhaseCommit, cuMinCommitLeft)
	epoch := e.epochNumber(ep)
	epochArg := strconv.FormatUint(epoch, 10)
	scores := map[string]string{"cur1": "1:80", "cur2": "1:70", "cur3": "1:10"}
	salts := map[string]string{}
	hashes := map[string]string{}
	for _, c := range []string{"cur2", "cur3"} {
		var stderr string
		hashes[c], stderr = e.send(c, "curation", "commit-scores", epochArg, scores[c])
		salts[c] = e.salt(stderr)
	}
	commit1, stderr := e.amino("cur1", "curation", "commit-scores", epochArg, scores["cur1"])
	e.ok(commit1)
	salts["cur1"] = e.salt(stderr)
	commits := map[string]e2e.TxResult{"cur1": commit1}
	for _, c := range []string{"cur2", "cur3"} {
		commits[c] = n.WaitTx(hashes[c])
		e.ok(commits[c])
	}
	for c, r := range commits {
		// The commitment is the lowercase hex SHA-256 of
		// "<curator bech32>|<chain_id>|<salt>|<epoch>|<id>:<score>".
		var committed struct {
			Curator    string      `json:"curator"`
			Epoch      json.Number `json:"epoch"`
			Commitment string      `json:"commitment"`
		}
		ev := mpTypedEvent(t, r, "balanceai.curation.v1.EventScoresCommitted")
		require.NoError(t, json.Unmarshal(ev, &committed), "%s", ev)
		sum := sha256.Sum256([]byte(e.addr[c] + "|" + n.ChainID + "|" + salts[c] + "|" + epochArg + "|" + scores[c]))
		require.Equal(t, hex.EncodeToString(sum[:]), committed.Commitment, c)
		require.Equal(t, e.addr[c], committed.Curator)
		require.Equal(t, epochArg, committed.Epoch.String())
		require.Equal(t, ep.Number.String(), epochArg)
	}
	require.NotEqual(t, salts["cur1"], salts["cur2"], "random salts")

	// Reveal phase: the wrong salt is refused (in a block, the curator pays the fee only).
	ep = e.waitPhase(int64(epoch)-1, cuPhaseReveal, 0)
	require.Equal(t, epoch, e.epochNumber(ep), "the reveal phase of the epoch committed to")
	cur1Before := e.mp.balance(e.addr["cur1"], 0)
	bad := n.Tx("cur1", "curation", "reveal-scores", epochArg, "not-"+salts["cur1"], scores["cur1"])
	require.Equal(t, uint32(cuErrMismatch), bad.Code, bad.RawLog)
	require.Equal(t, cuCodespace, bad.Codespace)
	require.Contains(t, bad.RawLog, "revealed salt and scores do not match the commitment")
	require.NotEqual(t, "0", bad.Height)
	require.Equal(t, cur1Before.SubRaw(mpTxFee).String(), e.mp.balance(e.addr["cur1"], 0).String())

	for _, c := range []string{"cur2", "cur3"} {
		hashes[c], _ = e.send(c, "curation", "reveal-scores", epochArg, salts[c], scores[c])
	}
	reveal1, _ := e.amino("cur1", "curation", "reveal-scores", epochArg, salts["cur1"], scores["cur1"])
	e.ok(reveal1)
	for _, c := range []string{"cur2", "cur3"} {
		e.ok(n.WaitTx(hashes[c]))
	}

	// After the epoch, listing 1's score is 70: the median of 80, 70 and 10 at equal bonds.
	var score struct {
		Score struct {
			ListingID      json.Number `json:"listing_id"`
			CurationScore  string      `json:"curation_score"`
			LastEpochScore json.Number `json:"last_epoch_score"`
			LastEpoch      json.Number `json:"last_epoch"`
			LastCurators   json.Number `json:"last_curators"`
		} `json:"score"`
	}
	n.Eventually(cuEpoch, "listing 1's score of epoch "+epochArg, func() bool {
		body, code := n.REST("/balanceai/curation/v1/scores/1")
		return code == http.StatusOK && json.Unmarshal(body, &score) == nil && score.Score.LastEpoch.String() == epochArg
	})
	require.Equal(t, "70", score.Score.LastEpochScore.String())
	require.Equal(t, "70.000000000000000000", score.Score.CurationScore)
	require.Equal(t, "3", score.Score.LastCurators.String())
	t.Logf("epoch %s: salts %v; listing 1 scored %s (curation_score %s) by %s curators",
		epochArg, salts, score.Score.LastEpochScore, score.Score.CurationScore, score.Score.LastCurators)
	var cliScore struct {
		Score struct {
			LastEpochScore json.Number `json:"last_epoch_score"`
		} `json:"score"`
	}
	n.Query(&cliScore, "curation", "scores", "1")
	require.Equal(t, "70", cliScore.Score.LastEpochScore.String())
	// Agreement within 15 of the consensus feeds the reputation EMA (alpha 0.5, from 0.5).
	for c, rep := range map[string]string{"cur1": "0.750000000000000000", "cur2": "0.750000000000000000", "cur3": "0.250000000000000000"} {
		var cur struct {
			Curator struct {
				Reputation string `json:"reputation"`
			} `json:"curator"`
		}
		n.RESTJSON("/balanceai/curation/v1/curators/"+e.addr[c], &cur)
		require.Equal(t, rep, cur.Curator.Reputation, c)
	}

	// A flag with evidence and a 100 BAI deposit, upheld by the curators (20,000 of 30,000 BAI).
	res = n.Tx("flagger", "curation", "flag", "1", "the endpoint serves a different model", cuEvidenceCID,
		strconv.FormatInt(cuDeposit, 10)+"ubai")
	e.ok(res)
	f := e.flag(1)
	require.Equal(t, cuFlagOpen, f.Status)
	require.Equal(t, "1", f.ListingID.String())
	require.Equal(t, "LISTING_KIND_MODEL", f.ListingKind)
	require.Equal(t, e.addr["flagger"], f.Flagger)
	require.Equal(t, cuEvidenceCID, f.EvidenceCid)
	require.Equal(t, mpCoin{"ubai", strconv.FormatInt(cuDeposit, 10)}, f.Deposit)
	require.Zero(t, f.VotingEnd.Nanosecond(), "voting_end is a whole second, the second the tally runs in")
	var open struct {
		Flags []cuFlag `json:"flags"`
	}
	n.RESTJSON("/balanceai/curation/v1/flags?status="+cuFlagOpen, &open)
	require.Len(t, open.Flags, 1)
	require.Equal(t, "1", open.Flags[0].ID.String())

	voteHashes := []string{}
	for c, uphold := range map[string]string{"cur2": "true", "cur3": "false"} {
		h, _ := e.send(c, "curation", "vote-flag", "1", uphold)
		voteHashes = append(voteHashes, h)
	}
	vote1, _ := e.amino("cur1", "curation", "vote-flag", "1", "true")
	lastVote := e.ok(vote1)
	for _, h := range voteHashes {
		if vh := e.ok(n.WaitTx(h)); vh > lastVote {
			lastVote = vh
		}
	}
	f = e.flag(1)
	require.Equal(t, cuFlagOpen, f.Status, "every vote landed before voting_end %s", f.VotingEnd)
	require.Equal(t, "20000000000", f.UpholdWeight)
	require.Equal(t, "10000000000", f.RejectWeight)

	n.Eventually(cuFlagVoting+30*time.Second, "flag 1 resolved", func() bool { return e.flag(1).Status != cuFlagOpen })
	f = e.flag(1)
	require.Equal(t, cuFlagUpheld, f.Status)
	slash := cuCollateral / 2 // flag_slash_fraction 0.5
	reward := slash / 10      // flagger_reward_share 0.1
	require.Equal(t, mpCoin{"ubai", strconv.FormatInt(slash, 10)}, f.Slashed)
	require.Equal(t, mpCoin{"ubai", strconv.FormatInt(reward, 10)}, f.FlaggerReward)
	listing := e.mp.listing(1)
	require.Equal(t, "LISTING_STATUS_SUSPENDED", listing.Status)
	require.Equal(t, mpCoin{"ubai", strconv.FormatInt(cuCollateral-slash, 10)}, listing.Collateral)

	// The tally block: the first whose time reached voting_end.
	tally := int64(0)
	for h := lastVote; h <= n.Height(); h++ {
		var out struct {
			Flag cuFlag `json:"flag"`
		}
		e.mp.getAt(h, "/balanceai/curation/v1/flags/1", &out)
		if out.Flag.Status != cuFlagOpen {
			tally = h
			break
		}
	}
	require.Positive(t, tally)
	require.False(t, mpBlockTime(t, n, tally).Before(f.VotingEnd), "tallied at %d before voting_end", tally)
	require.True(t, mpBlockTime(t, n, tally-1).Before(f.VotingEnd), "height %d had reached voting_end", tally-1)
	delta := func(addr string) math.Int { return e.mp.balance(addr, tally).Sub(e.mp.balance(addr, tally-1)) }
	require.Equal(t, strconv.FormatInt(reward+cuDeposit, 10), delta(e.addr["flagger"]).String(), "10 % of the slash + the deposit back")
	require.Equal(t, strconv.FormatInt(-slash, 10), delta(market).String(), "50 % of the collateral leaves the marketplace")
	require.Equal(t, strconv.FormatInt(-cuDeposit, 10), delta(curation).String(), "the slash passes through curation; the deposit leaves")
	require.True(t, delta(e.addr["owner"]).IsZero())
	// models_fund: 90 % of the slash from curation, beside x/emission's and x/grants' transfers.
	in, out := math.ZeroInt(), math.ZeroInt()
	fromCuration := []string{}
	for _, tr := range e.blockTransfers(tally) {
		amt, ok := math.NewIntFromString(tr[2])
		require.True(t, ok)
		if tr[1] == modelsFund {
			in = in.Add(amt)
			if tr[0] == curation {
				fromCuration = append(fromCuration, tr[2])
			}
		}
		if tr[0] == modelsFund {
			out = out.Add(amt)
		}
	}
	require.Equal(t, []string{strconv.FormatInt(slash-reward, 10)}, fromCuration, "90 % of the slash to models_fund")
	require.Equal(t, in.Sub(out).String(), delta(modelsFund).String())
	t.Logf("flag 1 tallied at height %d (voting_end %s): slashed %s, flagger +%s (reward + deposit), models_fund +%v from curation",
		tally, f.VotingEnd.Format(time.RFC3339), f.Slashed.Amount, delta(e.addr["flagger"]), fromCuration)

	var upheld struct {
		Flags []cuFlag `json:"flags"`
	}
	n.RESTJSON("/balanceai/curation/v1/flags?status="+cuFlagUpheld, &upheld)
	require.Len(t, upheld.Flags, 1)
	n.RESTJSON("/balanceai/curation/v1/flags?status="+cuFlagOpen, &open)
	require.Empty(t, open.Flags)
	// The listing filter, alone and with a status.
	var byListing struct {
		Flags []cuFlag `json:"flags"`
	}
	n.RESTJSON("/balanceai/curation/v1/flags?listing_id=1&status="+cuFlagUpheld, &byListing)
	require.Len(t, byListing.Flags, 1)
	require.Equal(t, "1", byListing.Flags[0].ID.String())
	n.RESTJSON("/balanceai/curation/v1/flags?listing_id=2", &byListing)
	require.Empty(t, byListing.Flags)
	require.Equal(t, "30000000000", e.mp.balance(curation, 0).String(), "only the bonds are left")
}
