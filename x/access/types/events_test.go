package types_test

import (
	"math"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/types"
)

// TestEventUsageRecordedToEvent: the hand-built event equals the SDK's generic conversion byte
// for byte, for ordinary, extreme and oddly-charactered values (clients parse these events).
func TestEventUsageRecordedToEvent(t *testing.T) {
	events := []types.EventUsageRecorded{
		{},
		{ReceiptId: 1, ListingId: 7, Operator: "bai1ry0r8tzx0ku5mamgzjv8sqsyjg3mm2ytlvjw5f", User: "bai1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn8j4la",
			RequestCid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", ResponseCid: "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG",
			Units: 120, Day: 20_454, UsedToday: 3, Quota: 100, Unlimited: false},
		{ReceiptId: math.MaxUint64, ListingId: math.MaxUint64, Units: math.MaxUint64, Day: math.MinInt64,
			UsedToday: math.MaxUint64, Quota: math.MaxUint64, Unlimited: true},
		{Day: math.MaxInt64, Operator: `quote " backslash \ <tag> & amp`, User: "tab\tnewline\n\u2028\u0001é日本",
			RequestCid: "\xff invalid utf-8", ResponseCid: "\u202e"},
	}
	for i, ev := range events {
		want, err := sdk.TypedEventToEvent(&ev)
		require.NoError(t, err)
		require.Equal(t, abci.Event(want), ev.ToEvent(), "event %d", i)
	}
}
