package testutil

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// TypedEvents decodes the events of T's type among events (a block's or a transaction's).
func TypedEvents[T proto.Message](t testing.TB, events []abci.Event) []T {
	t.Helper()
	var zero T
	name := proto.MessageName(zero)
	var out []T
	for _, ev := range events {
		if ev.Type != name {
			continue
		}
		// baseapp adds mode (block events) and msg_index (tx events), which are not fields.
		clean := abci.Event{Type: ev.Type}
		for _, a := range ev.Attributes {
			if a.Key != "mode" && a.Key != "msg_index" {
				clean.Attributes = append(clean.Attributes, a)
			}
		}
		msg, err := sdk.ParseTypedEvent(clean)
		require.NoError(t, err)
		out = append(out, msg.(T))
	}
	return out
}
