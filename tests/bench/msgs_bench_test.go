package bench_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/testutil"
	accesstypes "github.com/balanceai/balanceai/x/access/types"
	bridgetypes "github.com/balanceai/balanceai/x/bridge/types"
	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	grantskeeper "github.com/balanceai/balanceai/x/grants/keeper"
	granttypes "github.com/balanceai/balanceai/x/grants/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// usageBatch is the number of records of the batched record-usage benchmark, each of another
// user (about 16,000 gas a record with its user; testutil signs with 2,000,000 gas).
const usageBatch = 50

// msgCase is one benchmarked Msg: prepare readies the fixture (untimed) for txs 0..n-1 (n ≤
// fixtureAccounts) and returns them.
type msgCase struct {
	name    string
	prepare func(f *fixture, n int) []tx
}

// each builds tx i from account i.
func each(f *fixture, n int, msg func(i int, addr string) sdk.Msg) []tx {
	txs := make([]tx, n)
	for i := range txs {
		txs[i] = tx{f.accs[i], []sdk.Msg{msg(i, f.accs[i].Address.String())}}
	}
	return txs
}

func (f *fixture) next(i int) string { return f.accs[(i+1)%fixtureAccounts].Address.String() }

// ethHash is a 0x-prefixed 32-byte hex hash made of k.
func ethHash(tag string, k int) string {
	return "0x" + fmt.Sprintf("%s%063x", tag, k)[:64]
}

// msgCases are every Msg a user (not governance) sends, and a bank send to compare with.
var msgCases = []msgCase{
	{"bank/Send", func(f *fixture, n int) []tx {
		return each(f, n, func(i int, a string) sdk.Msg {
			return banktypes.NewMsgSend(f.accs[i].Address, f.accs[(i+1)%fixtureAccounts].Address, sdk.NewCoins(ubai(1)))
		})
	}},

	// x/marketplace
	{"marketplace/RegisterListing", func(f *fixture, n int) []tx {
		return each(f, n, func(i int, a string) sdk.Msg { return f.listingMsg(i) })
	}},
	{"marketplace/UpdateListing", func(f *fixture, n int) []tx {
		f.ownListings(n)
		return each(f, n, func(i int, a string) sdk.Msg {
			return &marketplacetypes.MsgUpdateListing{Owner: a, Id: f.own[i], Description: "updated", Task: "nlp",
				Tags: []string{"chat"}, Endpoint: "https://node2.example.com/v1", MetadataCid: cidV0,
				Version: fmt.Sprintf("1.0.%d", f.listingSeq), Access: marketplacetypes.AccessPolicy{MinStake: math.ZeroInt(), Mode: marketplacetypes.AccessModePublic}}
		})
	}},
	{"marketplace/DepositCollateral", func(f *fixture, n int) []tx {
		f.ownListings(n)
		return each(f, n, func(i int, a string) sdk.Msg {
			return &marketplacetypes.MsgDepositCollateral{Owner: a, Id: f.own[i], Amount: ubai(bai)}
		})
	}},
	{"marketplace/WithdrawCollateral", func(f *fixture, n int) []tx {
		f.ownListings(n)
		f.deliver(false, each(f, n, func(i int, a string) sdk.Msg {
			return &marketplacetypes.MsgDepositCollateral{Owner: a, Id: f.own[i], Amount: ubai(bai)}
		}))
		return each(f, n, func(i int, a string) sdk.Msg {
			return &marketplacetypes.MsgWithdrawCollateral{Owner: a, Id: f.own[i], Amount: ubai(bai)}
		})
	}},
	{"marketplace/PauseListing", func(f *fixture, n int) []tx {
		ids := f.newListings(n)
		return each(f, n, func(i int, a string) sdk.Msg { return &marketplacetypes.MsgPauseListing{Owner: a, Id: ids[i]} })
	}},
	{"marketplace/ResumeListing", func(f *fixture, n int) []tx {
		ids := f.newListings(n)
		f.deliver(false, each(f, n, func(i int, a string) sdk.Msg { return &marketplacetypes.MsgPauseListing{Owner: a, Id: ids[i]} }))
		return each(f, n, func(i int, a string) sdk.Msg { return &marketplacetypes.MsgResumeListing{Owner: a, Id: ids[i]} })
	}},
	{"marketplace/RetireListing", func(f *fixture, n int) []tx {
		ids := f.newListings(n)
		return each(f, n, func(i int, a string) sdk.Msg { return &marketplacetypes.MsgRetireListing{Owner: a, Id: ids[i]} })
	}},
	{"marketplace/TransferListing", func(f *fixture, n int) []tx {
		ids := f.newListings(n)
		return each(f, n, func(i int, a string) sdk.Msg {
			return &marketplacetypes.MsgTransferListing{Owner: a, Id: ids[i], NewOwner: f.next(i)}
		})
	}},

	// x/access
	{"access/SetOperators", func(f *fixture, n int) []tx {
		f.ownListings(n)
		return each(f, n, func(i int, a string) sdk.Msg {
			return &accesstypes.MsgSetOperators{Owner: a, ListingId: f.own[i], Operators: []string{a, f.next(i)}}
		})
	}},
	{"access/SetAllowlist", func(f *fixture, n int) []tx {
		f.ownListings(n)
		return each(f, n, func(i int, a string) sdk.Msg {
			return &accesstypes.MsgSetAllowlist{Owner: a, ListingId: f.own[i], Add: []string{f.next(i)}}
		})
	}},
	{"access/RecordUsage", func(f *fixture, n int) []tx {
		f.operators(n)
		return each(f, n, func(i int, a string) sdk.Msg { return usageMsg(f, i, 1) })
	}},
	{fmt.Sprintf("access/RecordUsage%d", usageBatch), func(f *fixture, n int) []tx {
		f.operators(n)
		return each(f, n, func(i int, a string) sdk.Msg { return usageMsg(f, i, usageBatch) })
	}},

	// x/curation
	{"curation/BondCurator", func(f *fixture, n int) []tx {
		f.bond(n)
		return each(f, n, func(i int, a string) sdk.Msg { return &curationtypes.MsgBondCurator{Curator: a, Amount: ubai(bai)} })
	}},
	{"curation/UnbondCurator", func(f *fixture, n int) []tx {
		f.bond(n)
		return each(f, n, func(i int, a string) sdk.Msg { return &curationtypes.MsgUnbondCurator{Curator: a, Amount: ubai(bai)} })
	}},
	{"curation/CommitScores", func(f *fixture, n int) []tx {
		f.bond(n)
		f.scored()
		e := f.commitPhaseFor(n)
		for i := 0; i < n; i++ {
			f.committed[i] = e
		}
		return each(f, n, func(i int, a string) sdk.Msg { return f.commitMsg(i, e) })
	}},
	{"curation/RevealScores", func(f *fixture, n int) []tx {
		f.bond(n)
		f.scored()
		e := f.commitPhaseFor(n)
		for i := 0; i < n; i++ {
			f.committed[i] = e
		}
		f.deliver(false, each(f, n, func(i int, a string) sdk.Msg { return f.commitMsg(i, e) }))
		f.revealPhase(e)
		return each(f, n, func(i int, a string) sdk.Msg {
			return &curationtypes.MsgRevealScores{Curator: a, Epoch: e, Salt: "salt", Scores: scores(f.scored())}
		})
	}},
	{"curation/FlagListing", func(f *fixture, n int) []tx {
		ids := f.newListings(n)
		txs := make([]tx, n)
		for i := range txs {
			flagger := f.accs[(i+1)%fixtureAccounts]
			txs[i] = tx{flagger, []sdk.Msg{&curationtypes.MsgFlagListing{Flagger: flagger.Address.String(), ListingId: ids[i],
				Reason: "serves another model than declared", EvidenceCid: cidV0, Deposit: ubai(100 * bai)}}}
		}
		return txs
	}},
	{"curation/VoteFlag", func(f *fixture, n int) []tx {
		f.bond(n)
		val := f.validator()
		res := f.deliver(false, []tx{{val, []sdk.Msg{validatorListing(f)}}})
		var lr marketplacetypes.MsgRegisterListingResponse
		testutil.MsgResponse(f.b, res[0], &lr)
		res = f.deliver(false, []tx{{val, []sdk.Msg{&curationtypes.MsgFlagListing{Flagger: val.Address.String(), ListingId: lr.Id,
			Reason: "serves another model than declared", EvidenceCid: cidV0, Deposit: ubai(100 * bai)}}}})
		var fr curationtypes.MsgFlagListingResponse
		testutil.MsgResponse(f.b, res[0], &fr)
		return each(f, n, func(i int, a string) sdk.Msg {
			return &curationtypes.MsgVoteFlag{Curator: a, FlagId: fr.FlagId, Uphold: i%2 == 0}
		})
	}},

	// x/grants
	{"grants/SubmitGrant", func(f *fixture, n int) []tx {
		f.skip(6 * time.Hour) // emission fills the funds
		return each(f, n, func(i int, a string) sdk.Msg { return grantMsg(a) })
	}},
	{"grants/VoteGrant", func(f *fixture, n int) []tx {
		f.bond(n)
		id := f.validatorGrant()
		return each(f, n, func(i int, a string) sdk.Msg {
			return &granttypes.MsgVoteGrant{Curator: a, GrantId: id, Option: granttypes.VoteOptionYes}
		})
	}},
	{"grants/SubmitMilestone", func(f *fixture, n int) []tx {
		f.skip(6 * time.Hour)
		res := f.deliver(false, each(f, n, func(i int, a string) sdk.Msg { return grantMsg(a) }))
		ids := make([]uint64, n)
		for i, r := range res {
			var gr granttypes.MsgSubmitGrantResponse
			testutil.MsgResponse(f.b, r, &gr)
			ids[i] = gr.GrantId
			f.approve(gr.GrantId)
		}
		return each(f, n, func(i int, a string) sdk.Msg {
			return &granttypes.MsgSubmitMilestone{Applicant: a, GrantId: ids[i], Index: 0, EvidenceCid: cidV1}
		})
	}},
	{"grants/ReviewMilestone", func(f *fixture, n int) []tx {
		f.bond(n)
		id := f.validatorGrant()
		f.approve(id)
		val := f.validator()
		f.deliver(false, []tx{{val, []sdk.Msg{&granttypes.MsgSubmitMilestone{Applicant: val.Address.String(), GrantId: id, Index: 0, EvidenceCid: cidV1}}}})
		return each(f, n, func(i int, a string) sdk.Msg {
			return &granttypes.MsgReviewMilestone{Curator: a, GrantId: id, Index: 0, Approve: true}
		})
	}},
	{"grants/ClaimRewards", func(f *fixture, n int) []tx {
		f.ownListings(n)
		f.skip(6 * time.Hour)
		f.reward(n)
		return each(f, n, func(i int, a string) sdk.Msg { return &granttypes.MsgClaimRewards{Owner: a} })
	}},

	// x/bridge
	{"bridge/Lock", func(f *fixture, n int) []tx {
		return each(f, n, func(i int, a string) sdk.Msg {
			return &bridgetypes.MsgLock{Sender: a, EthRecipient: ethAddr, Amount: ubai(bai)}
		})
	}},
	{"bridge/AttestOutbound", func(f *fixture, n int) []tx {
		// Two attestations a transfer (threshold 2): the first records a vote, the second completes it.
		locks := (n + 1) / 2
		res := f.deliver(false, each(f, locks, func(i int, a string) sdk.Msg {
			return &bridgetypes.MsgLock{Sender: a, EthRecipient: ethAddr, Amount: ubai(bai)}
		}))
		txs := make([]tx, n)
		for i := range txs {
			var lr bridgetypes.MsgLockResponse
			testutil.MsgResponse(f.b, res[i/2], &lr)
			att := f.accs[i%2]
			txs[i] = tx{att, []sdk.Msg{&bridgetypes.MsgAttestOutbound{Attester: att.Address.String(), Nonce: lr.Nonce,
				EthTxHash: ethHash("a", int(lr.Nonce)), Success: true}}}
		}
		return txs
	}},
	{"bridge/AttestInbound", func(f *fixture, n int) []tx {
		// The locked BAI inbound claims release.
		f.deliver(false, each(f, n, func(i int, a string) sdk.Msg {
			return &bridgetypes.MsgLock{Sender: a, EthRecipient: ethAddr, Amount: ubai(bai)}
		}))
		f.listingSeq++
		txs := make([]tx, n)
		for i := range txs {
			att := f.accs[i%2]
			k := f.listingSeq*1000 + i/2
			txs[i] = tx{att, []sdk.Msg{&bridgetypes.MsgAttestInbound{Attester: att.Address.String(), EthTxHash: ethHash("b", k),
				LogIndex: uint64(k), EthBlock: 100, EthSender: ethAddr, Recipient: f.next(i / 2), Amount: ubai(bai)}}}
		}
		return txs
	}},
	{"bridge/SetPaused", func(f *fixture, n int) []tx {
		// An attester may pause (again); only governance unpauses, here directly in the store.
		require.NoError(f.b, f.c.App.BridgeKeeper.Paused.Set(f.c.Ctx(), false))
		txs := make([]tx, n)
		for i := range txs {
			att := f.accs[i%3]
			txs[i] = tx{att, []sdk.Msg{&bridgetypes.MsgSetPaused{Signer: att.Address.String(), Paused: true}}}
		}
		return txs
	}},
}

func usageMsg(f *fixture, i, records int) *accesstypes.MsgRecordUsage {
	recs := make([]accesstypes.UsageRecord, records)
	for r := range recs {
		recs[r] = accesstypes.UsageRecord{User: f.next(i + r), RequestCid: cidV1, ResponseCid: cidV0, Units: uint64(100 + r)}
	}
	return &accesstypes.MsgRecordUsage{Operator: f.accs[i].Address.String(), ListingId: f.own[i], Records: recs}
}

func grantMsg(applicant string) *granttypes.MsgSubmitGrant {
	return &granttypes.MsgSubmitGrant{Applicant: applicant, Fund: granttypes.GrantFundModels, Title: "Open evaluation set",
		DetailsCid: cidV1, Milestones: []granttypes.MilestoneInput{{Amount: ubai(1), Description: "publish the set"}}}
}

func validatorListing(f *fixture) *marketplacetypes.MsgRegisterListing {
	m := f.listingMsg(0)
	m.Owner = f.c.Validators[0].Address.String()
	return m
}

// validatorGrant submits a grant from the validator's account (not a curator) after a block,
// so curators bonded before are in its voting snapshot, and returns its id.
func (f *fixture) validatorGrant() uint64 {
	f.b.Helper()
	f.skip(6 * time.Hour)
	val := f.validator()
	res := f.deliver(false, []tx{{val, []sdk.Msg{grantMsg(val.Address.String())}}})
	var gr granttypes.MsgSubmitGrantResponse
	testutil.MsgResponse(f.b, res[0], &gr)
	return gr.GrantId
}

// approve decides a grant as a governance proposal would (MsgDecideGrant from the gov authority).
func (f *fixture) approve(id uint64) {
	f.b.Helper()
	_, err := grantskeeper.NewMsgServerImpl(f.c.App.GrantsKeeper).DecideGrant(f.c.Ctx(),
		&granttypes.MsgDecideGrant{Authority: govAddr, GrantId: id, Approve: true})
	require.NoError(f.b, err)
}

// reward credits epoch rewards to the owners of listings of accounts 0..n-1: it stores their
// results as x/curation does when it completes an epoch (a past epoch number after the last
// rewarded one) and runs the block whose EndBlocker pays them (n is within the budget).
func (f *fixture) reward(n int) {
	f.b.Helper()
	ctx := f.c.Ctx()
	last, err := f.c.App.GrantsKeeper.LastRewardedEpoch.Get(ctx)
	if errors.Is(err, collections.ErrNotFound) {
		err = nil
	}
	require.NoError(f.b, err)
	epoch, ck := last+1, f.c.App.CurationKeeper
	for i := 0; i < n; i++ {
		require.NoError(f.b, ck.EpochListingResults.Set(ctx, collections.Join(epoch, f.own[i]), curationtypes.EpochListingResult{
			Epoch: epoch, ListingId: f.own[i], Kind: marketplacetypes.ListingKindModel, EpochScore: 80,
			CurationScore: math.LegacyNewDec(80), Curators: 3, Weight: math.NewInt(30_000_000_000)}))
	}
	require.NoError(f.b, ck.CompletedEpochs.Set(ctx, epoch))
	f.c.NextBlock(f.c.AllSigners())
	paying, err := f.c.App.GrantsKeeper.Payout.Has(f.c.Ctx())
	require.NoError(f.b, err)
	require.False(f.b, paying, "the epoch is paid in one block")
}

// BenchmarkMsgs times FinalizeBlock of blocks of 50 txs of one Msg each (after CheckTx, as on a
// node), for every Msg a user sends: ns/tx and cpu-ns/tx are FinalizeBlock wall and process CPU
// time per tx, tx/s its inverse. After each round of the Msg's txs the same accounts send as
// many bank sends, timed the same way: x-bank is the Msg's tx/s by CPU time over theirs, both
// measured in the same run and in alternation, so the machine's load moves both sides alike
// (records-x-bank for the record-usage batches counts records). `make bench-msgs` runs 300 txs
// per Msg (three rounds of the fixture's 100 accounts).
func BenchmarkMsgs(b *testing.B) {
	bankSends := msgCases[0]
	for _, mc := range msgCases {
		b.Run(strings.ReplaceAll(mc.name, "/", "_"), func(b *testing.B) {
			b.StopTimer()
			f := newFixture(b)
			for done := 0; done < b.N; {
				n := min(fixtureAccounts, b.N-done)
				txs := mc.prepare(f, n)
				// Collect the setup's garbage now, not during the timed blocks (process CPU
				// time counts the collector's work).
				runtime.GC()
				f.timing = &f.msgs
				f.deliver(true, txs)
				if mc.name != bankSends.name {
					ref := bankSends.prepare(f, n)
					runtime.GC()
					f.timing = &f.bank
					f.deliver(true, ref)
				}
				done += n
			}
			f.report()
			if strings.HasPrefix(mc.name, "access/RecordUsage") && f.msgs.txs > 0 {
				records := usageBatch
				if mc.name == "access/RecordUsage" {
					records = 1
				}
				b.ReportMetric(float64(records)*1e9*float64(f.msgs.txs)/float64(f.msgs.wall.Nanoseconds()), "records/s")
				b.ReportMetric(float64(records)*f.bank.cpuPerTx()/f.msgs.cpuPerTx(), "records-x-bank")
			}
		})
	}
}
