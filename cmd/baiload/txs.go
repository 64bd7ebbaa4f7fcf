package main

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/balanceai/balanceai/app"
	accesstypes "github.com/balanceai/balanceai/x/access/types"
	bridgetypes "github.com/balanceai/balanceai/x/bridge/types"
	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// Kind is one kind of load transaction.
type Kind string

const (
	KindBank    Kind = "bank"    // MsgSend of 1 ubai to the next account
	KindListing Kind = "listing" // MsgRegisterListing of a MODEL listing with the minimum collateral
	KindUsage   Kind = "usage"   // MsgRecordUsage of a batch of records on the sender's own listing
	KindCommit  Kind = "commit"  // MsgCommitScores for the running epoch (at most one per account)
	KindLock    Kind = "lock"    // MsgLock of the bridge's minimum transfer
)

// kindOrder is the order kinds are reported in.
var kindOrder = []Kind{KindBank, KindListing, KindUsage, KindCommit, KindLock}

// Gas limits of each kind (measured use plus a margin; the limit does not change execution).
var kindGas = map[Kind]uint64{
	KindBank:    150_000,
	KindListing: 400_000,
	KindCommit:  200_000,
	KindLock:    250_000,
}

// usageGas is the gas limit of a record-usage batch of n records of users distinct users
// (about 70,000 gas, plus about 6,500 a record and 10,000 a user).
func usageGas(n, users int) uint64 { return 150_000 + 10_000*uint64(n) + 15_000*uint64(users) }

const (
	// seedPrefix prefixes the secret each load account's key is derived from.
	seedPrefix = "baiload-account-"
	// cidRequest and cidResponse are the IPFS CIDs usage records carry.
	cidRequest  = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
	cidResponse = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
	// ethRecipient receives the bridge locks; tokenContract is the wBAI contract of the genesis.
	ethRecipient  = "0x52908400098527886E0F7030069857D2E4169EE7"
	tokenContract = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
)

// Account is one derived load account.
type Account struct {
	Index   int
	Priv    cryptotypes.PrivKey
	Address sdk.AccAddress
	AccNum  uint64
	Seq     uint64
	// ListingID is the account's own listing (mix runs), on which it records usage.
	ListingID uint64
}

// DeriveAccount returns the i-th load account: its secp256k1 key is derived from a fixed
// secret, so every run (and the genesis that funds it) names the same addresses.
func DeriveAccount(i int) *Account {
	priv := secp256k1.GenPrivKeyFromSecret([]byte(seedPrefix + strconv.Itoa(i)))
	return &Account{Index: i, Priv: priv, Address: sdk.AccAddress(priv.PubKey().Address())}
}

// DeriveAccounts returns accounts 0..n-1.
func DeriveAccounts(n int) []*Account {
	accs := make([]*Account, n)
	for i := range accs {
		accs[i] = DeriveAccount(i)
	}
	return accs
}

// Mix is the weight of each kind in a run; the schedule of an account repeats the kinds in
// kindOrder, each as many times as its weight. commit is at most once per account (a curator
// commits once an epoch): its weight only says whether the account's first tx is a commit.
type Mix map[Kind]int

// ParseMix reads "bank=4,listing=1,usage=2,commit=1,lock=1" (a bare "bank" is bank=1).
func ParseMix(s string) (Mix, error) {
	m := Mix{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, w, hasW := strings.Cut(part, "=")
		weight := 1
		if hasW {
			var err error
			weight, err = strconv.Atoi(w)
			if err != nil || weight < 0 {
				return nil, fmt.Errorf("mix %q: weight of %s must be a non-negative integer", s, name)
			}
		}
		k := Kind(strings.TrimSpace(name))
		if _, ok := kindIndex(k); !ok {
			return nil, fmt.Errorf("mix %q: unknown kind %q (bank, listing, usage, commit, lock)", s, name)
		}
		if weight > 0 {
			m[k] += weight
		}
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("mix %q: no kind with a positive weight", s)
	}
	if len(m) == 1 && m[KindCommit] > 0 {
		return nil, fmt.Errorf("mix %q: commit alone gives one tx per account; add another kind", s)
	}
	return m, nil
}

func kindIndex(k Kind) (int, bool) {
	for i, o := range kindOrder {
		if o == k {
			return i, true
		}
	}
	return 0, false
}

// String is the mix in ParseMix's form, kinds in kindOrder.
func (m Mix) String() string {
	var parts []string
	for _, k := range kindOrder {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
		}
	}
	return strings.Join(parts, ",")
}

// NeedsSetup says whether the accounts need a listing, an operator and a curator bond first.
func (m Mix) NeedsSetup() bool { return m[KindListing]+m[KindUsage]+m[KindCommit] > 0 }

// Schedule returns the kinds of an account's m transactions: a commit first when the mix has
// one, then the other kinds round-robin by weight.
func (m Mix) Schedule(n int) []Kind {
	var cycle []Kind
	for _, k := range kindOrder {
		if k == KindCommit {
			continue
		}
		for i := 0; i < m[k]; i++ {
			cycle = append(cycle, k)
		}
	}
	out := make([]Kind, 0, n)
	if m[KindCommit] > 0 && n > 0 {
		out = append(out, KindCommit)
	}
	for i := 0; len(out) < n; i++ {
		out = append(out, cycle[i%len(cycle)])
	}
	return out
}

// Builder signs load transactions in SIGN_MODE_DIRECT.
type Builder struct {
	TxConfig client.TxConfig
	ChainID  string
	// GasPrice is the fee per gas unit in ubai (0: no fee).
	GasPrice math.LegacyDec
	// UsageRecords is the number of records of a record-usage batch.
	UsageRecords int
	// UsageUsers is the number of distinct users of a record-usage batch (0 means 1): the
	// records go to the next UsageUsers accounts in turn.
	UsageUsers int
	// Epoch is the curation epoch commits are for.
	Epoch uint64
}

// Sign builds and signs a transaction of msgs from acc at sequence seq.
func (b *Builder) Sign(acc *Account, seq uint64, gas uint64, memo string, msgs ...sdk.Msg) ([]byte, error) {
	tb := b.TxConfig.NewTxBuilder()
	if err := tb.SetMsgs(msgs...); err != nil {
		return nil, err
	}
	tb.SetGasLimit(gas)
	tb.SetMemo(memo)
	if !b.GasPrice.IsNil() && b.GasPrice.IsPositive() {
		fee := b.GasPrice.MulInt64(int64(gas)).Ceil().TruncateInt()
		tb.SetFeeAmount(sdk.NewCoins(sdk.NewCoin(app.BondDenom, fee)))
	}
	pub := acc.Priv.PubKey()
	mode := signing.SignMode_SIGN_MODE_DIRECT
	sig := signing.SignatureV2{PubKey: pub, Data: &signing.SingleSignatureData{SignMode: mode}, Sequence: seq}
	if err := tb.SetSignatures(sig); err != nil {
		return nil, err
	}
	signBytes, err := authsigning.GetSignBytesAdapter(context.Background(), b.TxConfig.SignModeHandler(), mode,
		authsigning.SignerData{
			Address: acc.Address.String(), ChainID: b.ChainID,
			AccountNumber: acc.AccNum, Sequence: seq, PubKey: pub,
		}, tb.GetTx())
	if err != nil {
		return nil, err
	}
	if sig.Data.(*signing.SingleSignatureData).Signature, err = acc.Priv.Sign(signBytes); err != nil {
		return nil, err
	}
	if err := tb.SetSignatures(sig); err != nil {
		return nil, err
	}
	return b.TxConfig.TxEncoder()(tb.GetTx())
}

// Msgs returns the messages and gas limit of the i-th load tx of kind k from acc (to[0] is the
// bank recipient, the next account; usage records go to each of to in turn).
func (b *Builder) Msgs(k Kind, acc *Account, to []*Account, i int) ([]sdk.Msg, uint64) {
	from := acc.Address.String()
	switch k {
	case KindBank:
		return []sdk.Msg{banktypes.NewMsgSend(acc.Address, to[0].Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 1)))},
			kindGas[k]
	case KindListing:
		return []sdk.Msg{ListingMsg(from, fmt.Sprintf("load-%d-%d", acc.Index, i))}, kindGas[k]
	case KindUsage:
		recs := make([]accesstypes.UsageRecord, b.UsageRecords)
		for r := range recs {
			recs[r] = accesstypes.UsageRecord{User: to[r%len(to)].Address.String(), RequestCid: cidRequest, ResponseCid: cidResponse,
				Units: uint64(1 + r)}
		}
		return []sdk.Msg{&accesstypes.MsgRecordUsage{Operator: from, ListingId: acc.ListingID, Records: recs}},
			usageGas(len(recs), min(len(recs), len(to)))
	case KindCommit:
		return []sdk.Msg{CommitMsg(from, b.ChainID, b.Epoch, acc.ListingID)}, kindGas[k]
	case KindLock:
		return []sdk.Msg{&bridgetypes.MsgLock{Sender: from, EthRecipient: ethRecipient,
			Amount: sdk.NewInt64Coin(app.BondDenom, 1_000_000)}}, kindGas[k]
	}
	panic("unknown kind " + string(k))
}

// ListingMsg registers a public MODEL listing with the default minimum collateral.
func ListingMsg(owner, name string) *marketplacetypes.MsgRegisterListing {
	return &marketplacetypes.MsgRegisterListing{
		Owner: owner, Kind: marketplacetypes.ListingKindModel, Name: name, Task: "nlp",
		Endpoint: "https://node.example.com/v1", MetadataCid: cidRequest, Version: "1.0.0",
		Collateral: sdk.NewInt64Coin(app.BondDenom, 1_000_000_000),
		Access:     marketplacetypes.AccessPolicy{MinStake: math.ZeroInt(), Mode: marketplacetypes.AccessModePublic},
	}
}

// CommitMsg commits the curator to a score of 50 for listing (salt: its address).
func CommitMsg(curator, chainID string, epoch, listing uint64) *curationtypes.MsgCommitScores {
	scores := curationtypes.SortScores([]curationtypes.ListingScoreEntry{{ListingId: listing, Score: 50}})
	return &curationtypes.MsgCommitScores{Curator: curator, Epoch: epoch,
		Commitment: curationtypes.ComputeCommitment(curator, chainID, curator, epoch, scores)}
}

// LoadTx is one pre-signed load transaction.
type LoadTx struct {
	Kind    Kind
	Records int // usage records it carries
	Bytes   []byte
}

// BuildLoad pre-signs m transactions for each account, from its current sequence on, following
// the mix's schedule; accs[(i+1)%n] receives account i's bank sends and is the user of its usage
// records. It returns the transactions per account (in sequence order).
func (b *Builder) BuildLoad(accs []*Account, m int, mix Mix) ([][]LoadTx, error) {
	out := make([][]LoadTx, len(accs))
	for i, acc := range accs {
		txs, err := b.BuildAccount(acc, b.Recipients(accs, i), m, mix)
		if err != nil {
			return nil, err
		}
		out[i] = txs
	}
	return out, nil
}

// Recipients are the accounts after accs[i]: the first receives its bank sends, and the first
// max(1, UsageUsers) are the users of its usage records.
func (b *Builder) Recipients(accs []*Account, i int) []*Account {
	out := make([]*Account, max(1, b.UsageUsers))
	for j := range out {
		out[j] = accs[(i+1+j)%len(accs)]
	}
	return out
}

// BuildAccount pre-signs acc's m transactions (to[0] receives its sends; the records of its
// usage batches go to each of to in turn).
func (b *Builder) BuildAccount(acc *Account, to []*Account, m int, mix Mix) ([]LoadTx, error) {
	txs := make([]LoadTx, 0, m)
	for i, k := range mix.Schedule(m) {
		msgs, gas := b.Msgs(k, acc, to, i)
		bz, err := b.Sign(acc, acc.Seq+uint64(i), gas, "", msgs...)
		if err != nil {
			return nil, fmt.Errorf("account %d tx %d: %w", acc.Index, i, err)
		}
		lt := LoadTx{Kind: k, Bytes: bz}
		if k == KindUsage {
			lt.Records = b.UsageRecords
		}
		txs = append(txs, lt)
	}
	return txs, nil
}

// sortedKinds returns the kinds of counts in kindOrder.
func sortedKinds[V any](counts map[Kind]V) []Kind {
	ks := make([]Kind, 0, len(counts))
	for k := range counts {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		a, _ := kindIndex(ks[i])
		b, _ := kindIndex(ks[j])
		return a < b
	})
	return ks
}
