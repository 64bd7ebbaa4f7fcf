package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/x/access/types"
)

// BenchmarkCheckAccess: a user with 50 delegations (the fake sums them as x/staking's
// GetDelegatorBonded walks them) on an ALLOWLIST listing with usage today.
func BenchmarkCheckAccess(b *testing.B) {
	f := newFixture(b)
	user := f.users[0]
	for i := 0; i < 50; i++ {
		f.sk.Delegate(user, bai(10))
	}
	_, err := f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: f.owner.String(), ListingId: lAllowlist, Add: []string{user.String()}})
	require.NoError(b, err)
	_, err = f.record(lAllowlist, rec(user, 1))
	require.NoError(b, err)
	req := &types.QueryCheckAccessRequest{ListingId: lAllowlist, User: user.String()}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := f.query.CheckAccess(f.ctx, req)
		if err != nil || !res.Allowed || res.Quota != 10 {
			b.Fatal(err, res)
		}
	}
}

// BenchmarkRecordUsage100: one message of 100 records over 10 users, in a fresh cache
// context per iteration so every iteration does the same work.
func BenchmarkRecordUsage100(b *testing.B) {
	f := newFixture(b)
	recs := make([]types.UsageRecord, 100)
	for i := range recs {
		u := addr("bench" + string(rune('a'+i%10)))
		if i < 10 {
			for j := 0; j < 5; j++ {
				f.sk.Delegate(u, bai(100))
			}
		}
		recs[i] = types.UsageRecord{User: u.String(), RequestCid: genCID(b, i), ResponseCid: genCID(b, 1000+i), Units: 10}
	}
	msg := &types.MsgRecordUsage{Operator: f.operator.String(), ListingId: lPublic, Records: recs}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx, _ := f.ctx.CacheContext()
		res, err := f.msg.RecordUsage(ctx, msg)
		if err != nil || len(res.ReceiptIds) != 100 {
			b.Fatal(err)
		}
	}
}
