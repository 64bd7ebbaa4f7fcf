package types_test

import (
	"strings"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/stretchr/testify/require"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/types"
)

const (
	cidV0 = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
	cidV1 = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
)

var ac = addresscodec.NewBech32Codec("bai")

func user() string {
	s, _ := ac.BytesToString(sdk.AccAddress("user________________"))
	return s
}

func TestValidateRecord(t *testing.T) {
	good := types.UsageRecord{User: user(), RequestCid: cidV0, ResponseCid: cidV1, Units: 1}
	_, err := types.ValidateRecord(ac, good)
	require.NoError(t, err)

	cases := map[string]func(r *types.UsageRecord){
		"empty user":          func(r *types.UsageRecord) { r.User = "" },
		"wrong prefix":        func(r *types.UsageRecord) { r.User = "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu" },
		"empty request cid":   func(r *types.UsageRecord) { r.RequestCid = "" },
		"garbage request cid": func(r *types.UsageRecord) { r.RequestCid = "hello" },
		"truncated response":  func(r *types.UsageRecord) { r.ResponseCid = cidV1[:20] },
		"too long cid":        func(r *types.UsageRecord) { r.ResponseCid = "b" + strings.Repeat("a", types.MaxCIDLength) },
		"zero units":          func(r *types.UsageRecord) { r.Units = 0 },
	}
	for name, mut := range cases {
		t.Run(name, func(t *testing.T) {
			r := good
			mut(&r)
			_, err := types.ValidateRecord(ac, r)
			require.ErrorIs(t, err, types.ErrInvalidRecord)
		})
	}
}

// FuzzValidateRecord: ValidateRecord never panics, and whatever it accepts has a decodable
// user, two CIDv0/v1 of bounded length that go-cid parses, and units >= 1.
func FuzzValidateRecord(f *testing.F) {
	f.Add(user(), cidV0, cidV1, uint64(1))
	f.Add(user(), cidV1, cidV0, uint64(1<<63))
	f.Add("", "", "", uint64(0))
	f.Add("bai1", "Qm", "bafy", uint64(5))
	f.Add(user(), "zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA", "f01701220c3c4733ec8affd06cf9e9ff50ffc6bcd2ec85a6170004bb709669c31de94391a", uint64(2))
	f.Fuzz(func(t *testing.T, u, req, resp string, units uint64) {
		r := types.UsageRecord{User: u, RequestCid: req, ResponseCid: resp, Units: units}
		bz, err := types.ValidateRecord(ac, r)
		if err != nil {
			require.ErrorIs(t, err, types.ErrInvalidRecord)
			return
		}
		require.NotEmpty(t, bz)
		require.GreaterOrEqual(t, units, uint64(1))
		for _, s := range []string{req, resp} {
			require.LessOrEqual(t, len(s), types.MaxCIDLength)
			c, err := cid.Decode(s)
			require.NoError(t, err)
			require.Contains(t, []uint64{0, 1}, c.Version())
		}
	})
}

func TestDecodeAddresses(t *testing.T) {
	a := user()
	b, _ := ac.BytesToString(sdk.AccAddress("other_______________"))
	out, err := types.DecodeAddresses(ac, "ops", []string{a, b})
	require.NoError(t, err)
	require.Len(t, out, 2)
	_, err = types.DecodeAddresses(ac, "ops", []string{a, b, a})
	require.ErrorIs(t, err, types.ErrDuplicateAddress)
	require.ErrorContains(t, err, "ops[2]")
	_, err = types.DecodeAddresses(ac, "ops", []string{"x"})
	require.ErrorIs(t, err, types.ErrInvalidAddress)
}
