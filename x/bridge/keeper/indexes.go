package keeper

import (
	"errors"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/bridge/types"
)

// isNotFound reports a collections miss.
func isNotFound(err error) bool { return errors.Is(err, collections.ErrNotFound) }

// OutboundIndexes are the secondary indexes of the outbound transfers.
type OutboundIndexes struct {
	// BySender is outbound_by_sender: (sender, nonce).
	BySender *chainutil.KeptMulti[sdk.AccAddress, uint64, types.OutboundTransfer]
}

// IndexesList implements collections.Indexes.
func (i OutboundIndexes) IndexesList() []collections.Index[uint64, types.OutboundTransfer] {
	return []collections.Index[uint64, types.OutboundTransfer]{i.BySender}
}

// NewOutboundIndexes builds the indexes.
func NewOutboundIndexes(sb *collections.SchemaBuilder, ac address.Codec) OutboundIndexes {
	return OutboundIndexes{
		BySender: chainutil.NewKeptMulti(sb, types.OutboundBySenderKey, "outbound_by_sender",
			sdk.AccAddressKey, collections.Uint64Key,
			func(_ uint64, v types.OutboundTransfer) (sdk.AccAddress, error) { return ac.StringToBytes(v.Sender) }),
	}
}
