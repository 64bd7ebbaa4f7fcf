//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/balanceai/balanceai/testutil/e2e"
)

// The Grant Programme scenario of issue 6 (x/grants/README.md, docs/spec/grants.md).
const (
	grChainID      = "balanceai-grants-e2e"
	grCodespace    = "grants"
	grBalance      = "1000000000000ubai" // every key's genesis balance, 1M BAI
	grTxFee        = int64(5_000)        // e2e.DefaultFees
	grDeposit      = int64(50_000_000)   // grant_deposit, 50 BAI
	grEpoch        = 40 * time.Second
	grReveal       = 20 * time.Second
	grVoting       = 30 * time.Second
	grReview       = 60 * time.Second
	grCIDv1        = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
	grCIDv0        = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
	grErrNoRewards = 4  // x/grants ErrNoRewards
	grErrStatus    = 12 // x/grants ErrInvalidStatus
)

// The curators and their bonds (10k, 10k, 20k BAI of 40k: the 1/3 quorum needs two of them).
var (
	grCurators = []string{"cur1", "cur2", "cur3"}
	grBonds    = []int64{10_000_000_000, 10_000_000_000, 20_000_000_000}
)

type grCoin struct {
	Denom  string `json:"denom"`
	Amount string `json:"amount"`
}

type grReward struct {
	Owner  string `json:"owner"`
	Fund   string `json:"fund"`
	Amount string `json:"amount"`
}

type grRewards struct {
	Rewards []grReward `json:"rewards"`
	Total   grCoin     `json:"total"`
}

type grFund struct {
	Fund          string `json:"fund"`
	Address       string `json:"address"`
	Balance       grCoin `json:"balance"`
	Free          string `json:"free"`
	Reserved      string `json:"reserved"`
	Unclaimed     string `json:"unclaimed"`
	TotalRewarded string `json:"total_rewarded"`
	TotalGranted  string `json:"total_granted"`
}

type grMilestone struct {
	Amount        grCoin    `json:"amount"`
	Description   string    `json:"description"`
	Status        string    `json:"status"`
	EvidenceCid   string    `json:"evidence_cid"`
	ReviewEnd     time.Time `json:"review_end"`
	ApproveWeight string    `json:"approve_weight"`
}

type grGrant struct {
	ID         string        `json:"id"`
	Applicant  string        `json:"applicant"`
	Fund       string        `json:"fund"`
	ListingID  string        `json:"listing_id"`
	Title      string        `json:"title"`
	DetailsCid string        `json:"details_cid"`
	Milestones []grMilestone `json:"milestones"`
	Status     string        `json:"status"`
	Deposit    grCoin        `json:"deposit"`
	VotingEnd  time.Time     `json:"voting_end"`
	Tally      struct {
		Yes string `json:"yes"`
		No  string `json:"no"`
	} `json:"tally"`
	NextMilestone json.Number `json:"next_milestone"`
	Paid          string      `json:"paid"`
	Outcome       string      `json:"outcome"`
}

type grEpochInfo struct {
	Number      string    `json:"number"`
	Phase       string    `json:"phase"`
	Start       time.Time `json:"start"`
	RevealStart time.Time `json:"reveal_start"`
	End         time.Time `json:"end"`
}

// grEnv is the running grants devnet.
type grEnv struct {
	t    *testing.T
	n    *e2e.Node
	addr map[string]string
}

// grSetGenesis shortens the curation epoch and the grant periods in a genesis file.
func grSetGenesis(t *testing.T, genesisPath string) {
	t.Helper()
	bz, err := os.ReadFile(genesisPath)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(bz))
	dec.UseNumber()
	var genesis map[string]any
	require.NoError(t, dec.Decode(&genesis))
	appState := genesis["app_state"].(map[string]any)
	params := func(module string) map[string]any {
		m, ok := appState[module].(map[string]any)
		require.True(t, ok, "no %s section in the genesis app_state", module)
		p, ok := m["params"].(map[string]any)
		require.True(t, ok, "no %s params in genesis", module)
		return p
	}
	secs := func(d time.Duration) string { return fmt.Sprintf("%ds", int64(d/time.Second)) }
	cp := params("curation")
	cp["epoch_duration"] = secs(grEpoch)
	cp["reveal_duration"] = secs(grReveal)
	gp := params("grants")
	gp["grant_voting_period"] = secs(grVoting)
	gp["milestone_review_period"] = secs(grReview)
	out, err := json.MarshalIndent(genesis, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(genesisPath, out, 0o600))
}

func (e *grEnv) int(s string) math.Int {
	e.t.Helper()
	if s == "" {
		return math.ZeroInt()
	}
	v, ok := math.NewIntFromString(s)
	require.True(e.t, ok, "not an integer: %q", s)
	return v
}

// getAt GETs a REST path on the state at a height (0: latest).
func (e *grEnv) getAt(height int64, path string, v any) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.n.RESTURL()+path, nil)
	require.NoError(e.t, err)
	if height > 0 {
		req.Header.Set("x-cosmos-block-height", strconv.FormatInt(height, 10))
	}
	client := http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	require.Equal(e.t, http.StatusOK, resp.StatusCode, "GET %s at %d: %s", path, height, body)
	require.NoError(e.t, json.Unmarshal(body, v), "GET %s at %d: %s", path, height, body)
}

func (e *grEnv) balance(addr string, height int64) math.Int {
	e.t.Helper()
	var b struct {
		Balance grCoin `json:"balance"`
	}
	e.getAt(height, "/cosmos/bank/v1beta1/balances/"+addr+"/by_denom?denom=ubai", &b)
	return e.int(b.Balance.Amount)
}

func (e *grEnv) rewards(addr string, height int64) grRewards {
	e.t.Helper()
	var r grRewards
	e.getAt(height, "/balanceai/grants/v1/rewards/"+addr, &r)
	return r
}

func (e *grEnv) fund(name string, height int64) grFund {
	e.t.Helper()
	var out struct {
		Funds []grFund `json:"funds"`
	}
	e.getAt(height, "/balanceai/grants/v1/funds", &out)
	for _, f := range out.Funds {
		if f.Fund == name {
			return f
		}
	}
	e.t.Fatalf("no fund %s in %+v", name, out.Funds)
	return grFund{}
}

func (e *grEnv) grant(id uint64) grGrant {
	e.t.Helper()
	var out struct {
		Grant grGrant `json:"grant"`
	}
	e.getAt(0, fmt.Sprintf("/balanceai/grants/v1/grants/%d", id), &out)
	return out.Grant
}

func (e *grEnv) epoch() grEpochInfo {
	e.t.Helper()
	var ep grEpochInfo
	e.getAt(0, "/balanceai/curation/v1/epoch", &ep)
	return ep
}

// requireOK asserts a tx succeeded in a block and returns its height.
func (e *grEnv) requireOK(res e2e.TxResult) int64 {
	e.t.Helper()
	require.Zero(e.t, res.Code, "codespace %s: %s", res.Codespace, res.RawLog)
	h, err := strconv.ParseInt(res.Height, 10, 64)
	require.NoError(e.t, err)
	require.Positive(e.t, h)
	return h
}

// amino signs a tx built by the CLI in amino-JSON mode, as Keplr and Ledger sign.
func (e *grEnv) amino(from string, args ...string) e2e.TxResult {
	e.t.Helper()
	return e.n.SignAndBroadcast(from, e.n.GenerateOnly(from, args...), "amino-json")
}

// broadcast runs `baid tx <args>` in sync mode and returns the hash and stderr without
// waiting for the block (several curators must act within one phase).
func (e *grEnv) broadcast(from string, args ...string) (string, string) {
	e.t.Helper()
	args = append(append([]string{"tx"}, args...),
		"--from", from, "--keyring-backend", "test", "--chain-id", e.n.ChainID, "--node", e.n.RPCAddr(),
		"--yes", "--output", "json", "--fees", e2e.DefaultFees)
	out, errOut, err := e.n.Run(args...)
	require.NoError(e.t, err, "baid %s\nstdout: %s\nstderr: %s", strings.Join(args, " "), out, errOut)
	var res e2e.TxResult
	require.NoError(e.t, json.Unmarshal([]byte(e2e.LastJSONLine(out)), &res), "broadcast output: %s", out)
	require.Zero(e.t, res.Code, "CheckTx refused %s: %s", strings.Join(args, " "), res.RawLog)
	return res.TxHash, errOut
}

var grSaltRe = regexp.MustCompile(`(?m)^salt: (\S+)$`)

// scoreEpoch has the three curators commit (with the CLI's printed salt) and reveal a
// score of 70 for the listing in one epoch, and returns the epoch number.
func (e *grEnv) scoreEpoch(listing uint64, score int) uint64 {
	e.t.Helper()
	// A listing is scored from the epoch after its registration.
	var l struct {
		Listing struct {
			CreatedAt time.Time `json:"created_at"`
		} `json:"listing"`
	}
	e.n.RESTJSON(fmt.Sprintf("/balanceai/marketplace/v1/listings/%d", listing), &l)
	require.False(e.t, l.Listing.CreatedAt.IsZero(), "listing %d has no created_at", listing)
	// A commit phase of such an epoch with at least 12 s left, so that three commits land in it.
	var ep grEpochInfo
	e.n.Eventually(3*grEpoch, "a commit phase with time left", func() bool {
		ep = e.epoch()
		return ep.Phase == "EPOCH_PHASE_COMMIT" && ep.Start.After(l.Listing.CreatedAt) && time.Until(ep.RevealStart) > 12*time.Second
	})
	number, err := strconv.ParseUint(ep.Number, 10, 64)
	require.NoError(e.t, err)
	scores := fmt.Sprintf("%d:%d", listing, score)
	salts := map[string]string{}
	var hashes []string
	for _, c := range grCurators {
		hash, stderr := e.broadcast(c, "curation", "commit-scores", ep.Number, scores)
		m := grSaltRe.FindStringSubmatch(stderr)
		require.NotNil(e.t, m, "commit-scores printed no salt: %s", stderr)
		salts[c] = m[1]
		require.Contains(e.t, stderr, fmt.Sprintf("reveal with: baid tx curation reveal-scores %s %s %s", ep.Number, m[1], scores))
		hashes = append(hashes, hash)
	}
	for _, h := range hashes {
		e.requireOK(e.n.WaitTx(h))
	}
	e.n.Eventually(grEpoch, "the reveal phase of epoch "+ep.Number, func() bool {
		now := e.epoch()
		return now.Number == ep.Number && now.Phase == "EPOCH_PHASE_REVEAL"
	})
	hashes = hashes[:0]
	for _, c := range grCurators {
		hash, _ := e.broadcast(c, "curation", "reveal-scores", ep.Number, salts[c], scores)
		hashes = append(hashes, hash)
	}
	for _, h := range hashes {
		e.requireOK(e.n.WaitTx(h))
	}
	return number
}

// TestGrantsDoneWhen is issue 6's "done when" on a devnet with a 40 s curation epoch: after
// one scored epoch the owner of a listing scored 70 has a claimable reward over REST,
// MsgClaimRewards (signed in amino-JSON mode, as Keplr signs) pays exactly that amount, and a
// grant proposal passes curator voting and pays its first milestone.
func TestGrantsDoneWhen(t *testing.T) {
	n, keys := e2e.SingleNodeChain(t, *baidBin, grChainID, []string{"alice", "cur1", "cur2", "cur3"}, grBalance,
		func(genesisPath string) { grSetGenesis(t, genesisPath) })
	e := &grEnv{t: t, n: n, addr: map[string]string{}}
	for name, k := range keys {
		e.addr[name] = k.Address
	}
	alice := e.addr["alice"]

	var params struct {
		Params struct {
			GrantDeposit          grCoin `json:"grant_deposit"`
			GrantVotingPeriod     string `json:"grant_voting_period"`
			MilestoneReviewPeriod string `json:"milestone_review_period"`
			MinRewardScore        int    `json:"min_reward_score"`
		} `json:"params"`
	}
	n.RESTJSON("/balanceai/grants/v1/params", &params)
	require.Equal(t, grCoin{"ubai", strconv.FormatInt(grDeposit, 10)}, params.Params.GrantDeposit)
	require.Equal(t, "30s", params.Params.GrantVotingPeriod)
	require.Equal(t, "60s", params.Params.MilestoneReviewPeriod)
	require.Equal(t, 50, params.Params.MinRewardScore)

	// A model listing of alice and three bonded curators.
	e.requireOK(n.Tx("alice", "marketplace", "register-model", "Llama Summariser", "nlp", "https://node.example.com/v1",
		grCIDv1, "1.0.0", "1000000000ubai"))
	var hashes []string
	for i, c := range grCurators {
		h, _ := e.broadcast(c, "curation", "bond", fmt.Sprintf("%dubai", grBonds[i]))
		hashes = append(hashes, h)
	}
	for _, h := range hashes {
		e.requireOK(n.WaitTx(h))
	}

	// 1. One scored epoch: three curators commit and reveal 70 for listing 1.
	epoch := e.scoreEpoch(1, 70)
	var reward grRewards
	n.Eventually(2*grEpoch, "a claimable reward for alice", func() bool {
		reward = e.rewards(alice, 0)
		return e.int(reward.Total.Amount).IsPositive()
	})
	var score struct {
		Score struct {
			LastEpochScore json.Number `json:"last_epoch_score"`
			LastEpoch      string      `json:"last_epoch"`
		} `json:"score"`
	}
	n.RESTJSON("/balanceai/curation/v1/scores/1", &score)
	require.Equal(t, "70", score.Score.LastEpochScore.String())
	require.Equal(t, strconv.FormatUint(epoch, 10), score.Score.LastEpoch)

	require.Len(t, reward.Rewards, 1, "%+v", reward)
	require.Equal(t, "GRANT_FUND_MODELS", reward.Rewards[0].Fund)
	require.Equal(t, alice, reward.Rewards[0].Owner)
	require.Equal(t, "ubai", reward.Total.Denom)
	claimable := e.int(reward.Total.Amount)
	// Alice's listing is the only one scored: she gets the whole listing part of the models
	// pool, pool − ⌊pool/10⌋; the curators share ⌊pool/10⌋ by bond (their reputations are equal).
	// Two pools can give the same listing part (10k+9 and 10k+10 both give 9k+9), so the
	// curators' credits must match the share of one of them.
	var pools []math.Int
	for p := claimable.MulRaw(10).QuoRaw(9).SubRaw(2); p.LTE(claimable.MulRaw(10).QuoRaw(9).AddRaw(2)); p = p.AddRaw(1) {
		if p.Sub(p.QuoRaw(10)).Equal(claimable) {
			pools = append(pools, p)
		}
	}
	require.NotEmpty(t, pools, "no pool gives a listing part of %s", claimable)
	credits := make([]math.Int, len(grCurators))
	for i, c := range grCurators {
		credits[i] = math.ZeroInt()
		for _, rw := range e.rewards(e.addr[c], 0).Rewards {
			if rw.Fund == "GRANT_FUND_MODELS" {
				credits[i] = e.int(rw.Amount)
			}
		}
	}
	var pool, curatorPool math.Int
	for _, p := range pools {
		matches := true
		for i := range grCurators {
			matches = matches && p.QuoRaw(10).MulRaw(grBonds[i]).QuoRaw(40_000_000_000).Equal(credits[i])
		}
		if matches {
			pool, curatorPool = p, p.QuoRaw(10)
			break
		}
	}
	require.Falsef(t, pool.IsNil(), "curator models credits %v are no pool's shares by bond (pools giving %s: %v)", credits, claimable, pools)
	models := e.fund("GRANT_FUND_MODELS", 0)
	require.True(t, e.int(models.Balance.Amount).Equal(e.int(models.Free).Add(e.int(models.Reserved))), "%+v", models)
	require.True(t, e.int(models.TotalRewarded).GTE(claimable.Add(curatorPool).SubRaw(3)))
	t.Logf("epoch %d: alice claimable %s ubai, models pool %s, curator pool %s", epoch, claimable, pool, curatorPool)
	// The epoch is paid: no payout is in progress.
	var payout struct {
		InProgress bool `json:"in_progress"`
		Payout     struct {
			Epoch string `json:"epoch"`
		} `json:"payout"`
	}
	n.RESTJSON("/balanceai/grants/v1/payout", &payout)
	require.False(t, payout.InProgress)
	require.Equal(t, "0", payout.Payout.Epoch)

	// 2. MsgClaimRewards, signed in amino-JSON mode, pays exactly the claimable reward.
	res := e.amino("alice", "grants", "claim-rewards")
	h := e.requireOK(res)
	require.Equal(t, claimable.String(), e.int(e.rewards(alice, h-1).Total.Amount).String(), "claimable just before the claim")
	delta := e.balance(alice, h).Sub(e.balance(alice, h-1))
	require.Equal(t, claimable.SubRaw(grTxFee).String(), delta.String(), "alice's balance change = reward - fee")
	require.Empty(t, e.rewards(alice, h).Rewards)
	require.True(t, e.int(e.rewards(alice, h).Total.Amount).IsZero())
	// A second claim is refused: nothing is paid twice.
	res = e.amino("alice", "grants", "claim-rewards")
	require.Equal(t, uint32(grErrNoRewards), res.Code, res.RawLog)
	require.Equal(t, grCodespace, res.Codespace)
	h2 := e.requireHeight(res)
	require.Equal(t, "-"+strconv.FormatInt(grTxFee, 10), e.balance(alice, h2).Sub(e.balance(alice, h2-1)).String())

	// 3. A grant proposal with a details CID and two milestones, within 10 % of the free balance.
	free := e.int(e.fund("GRANT_FUND_MODELS", 0).Free)
	m0, m1 := free.QuoRaw(40), free.QuoRaw(50)
	require.True(t, m0.IsPositive() && m1.IsPositive())
	milestone := func(amt math.Int, desc string) string {
		return fmt.Sprintf(`{"amount":{"denom":"ubai","amount":"%s"},"description":"%s"}`, amt, desc)
	}
	res = e.amino("alice", "grants", "submit-grant", "models", "1", "Multilingual fine-tune", grCIDv1,
		milestone(m0, "dataset"), milestone(m1, "model release"))
	h = e.requireOK(res)
	require.Equal(t, strconv.FormatInt(-grDeposit-grTxFee, 10), e.balance(alice, h).Sub(e.balance(alice, h-1)).String(),
		"the applicant pays the deposit and the fee")
	g := e.grant(1)
	require.Equal(t, "GRANT_STATUS_VOTING", g.Status)
	require.Equal(t, alice, g.Applicant)
	require.Equal(t, "GRANT_FUND_MODELS", g.Fund)
	require.Equal(t, "1", g.ListingID)
	require.Equal(t, grCIDv1, g.DetailsCid)
	require.Len(t, g.Milestones, 2)
	require.Equal(t, m0.String(), g.Milestones[0].Amount.Amount)
	require.Equal(t, m1.String(), g.Milestones[1].Amount.Amount)
	var voting struct {
		Grants []grGrant `json:"grants"`
	}
	e.getAt(0, "/balanceai/grants/v1/grants?status=GRANT_STATUS_VOTING", &voting)
	require.Len(t, voting.Grants, 1)

	// The curators vote YES (cur1 in amino-JSON mode).
	e.requireOK(e.amino("cur1", "grants", "vote", "1", "yes"))
	hashes = hashes[:0]
	for _, c := range []string{"cur2", "cur3"} {
		hh, _ := e.broadcast(c, "grants", "vote", "1", "yes")
		hashes = append(hashes, hh)
	}
	for _, hh := range hashes {
		e.requireOK(n.WaitTx(hh))
	}
	require.Equal(t, "40000000000", e.grant(1).Tally.Yes)

	// The tally at the voting end approves it, reserves the total and returns the deposit.
	aliceBefore := e.balance(alice, 0)
	n.Eventually(grVoting+30*time.Second, "grant 1 decided", func() bool { return e.grant(1).Status != "GRANT_STATUS_VOTING" })
	g = e.grant(1)
	require.Equal(t, "GRANT_STATUS_APPROVED", g.Status, g.Outcome)
	require.Equal(t, "passed", g.Outcome)
	require.Equal(t, aliceBefore.AddRaw(grDeposit).String(), e.balance(alice, 0).String(), "the deposit is returned")
	models = e.fund("GRANT_FUND_MODELS", 0)
	require.Equal(t, m0.Add(m1).String(), models.Reserved)
	require.True(t, e.int(models.Balance.Amount).Equal(e.int(models.Free).Add(e.int(models.Reserved))))
	var approved struct {
		Grants []grGrant `json:"grants"`
	}
	e.getAt(0, "/balanceai/grants/v1/grants?status=GRANT_STATUS_APPROVED", &approved)
	require.Len(t, approved.Grants, 1)
	require.Equal(t, "1", approved.Grants[0].ID)

	// 4. The first milestone: alice submits evidence (amino-JSON), two curators approve. The
	// approvals reach the quorum (20k of the 40k bonded when the review opened ≥ 1/3) but pay
	// nothing until the review period ends; then the EndBlocker pays it (approvals outweigh the
	// zero rejections).
	e.requireOK(e.amino("alice", "grants", "submit-milestone", "1", "0", grCIDv0))
	g = e.grant(1)
	require.Equal(t, "MILESTONE_STATUS_IN_REVIEW", g.Milestones[0].Status)
	require.Equal(t, grCIDv0, g.Milestones[0].EvidenceCid)
	h = e.requireOK(n.Tx("cur1", "grants", "review-milestone", "1", "0", "true"))
	require.Equal(t, "MILESTONE_STATUS_IN_REVIEW", e.grant(1).Milestones[0].Status)
	require.True(t, e.balance(alice, h).Equal(e.balance(alice, h-1)))
	res = e.amino("cur2", "grants", "review-milestone", "1", "0", "true")
	h = e.requireOK(res)
	require.Equal(t, "MILESTONE_STATUS_IN_REVIEW", e.grant(1).Milestones[0].Status, "a quorum of approvals pays nothing before the review end")
	require.True(t, e.balance(alice, h).Equal(e.balance(alice, h-1)))
	n.Eventually(grReview+30*time.Second, "milestone 0 decided", func() bool {
		return e.grant(1).Milestones[0].Status != "MILESTONE_STATUS_IN_REVIEW"
	})
	g = e.grant(1)
	require.Equal(t, "MILESTONE_STATUS_PAID", g.Milestones[0].Status)
	require.Equal(t, "MILESTONE_STATUS_PENDING", g.Milestones[1].Status)
	require.Equal(t, "GRANT_STATUS_APPROVED", g.Status)
	require.Equal(t, "1", g.NextMilestone.String())
	require.Equal(t, m0.String(), g.Paid)
	require.Equal(t, m0.String(), e.balance(alice, 0).Sub(e.balance(alice, h)).String(), "alice is paid the milestone")
	fundBefore, fundAfter := e.fund("GRANT_FUND_MODELS", h), e.fund("GRANT_FUND_MODELS", 0)
	require.Equal(t, m1.String(), fundAfter.Reserved)
	require.Equal(t, m0.String(), e.int(fundAfter.TotalGranted).Sub(e.int(fundBefore.TotalGranted)).String())
	require.True(t, e.int(fundAfter.Balance.Amount).Equal(e.int(fundAfter.Free).Add(e.int(fundAfter.Reserved))))

	// The paid milestone cannot be reviewed again.
	res = n.Tx("cur3", "grants", "review-milestone", "1", "0", "true")
	require.Equal(t, uint32(grErrStatus), res.Code, res.RawLog)
	require.Equal(t, grCodespace, res.Codespace)
	require.Equal(t, m0.String(), e.grant(1).Paid)
	t.Logf("grant 1: milestone 0 paid %s ubai, %s reserved for milestone 1", m0, m1)
}

// requireHeight returns the height of a tx included in a block (refused or not).
func (e *grEnv) requireHeight(res e2e.TxResult) int64 {
	e.t.Helper()
	h, err := strconv.ParseInt(res.Height, 10, 64)
	require.NoError(e.t, err, "tx not in a block: %s", res.RawLog)
	require.Positive(e.t, h, "tx not in a block: %s", res.RawLog)
	return h
}
