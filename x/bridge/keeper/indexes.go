package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"
	"cosmossdk.io/core/address"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/bridge/types"
)

// isNotFound reports a collections miss.
func isNotFound(err error) bool { return errors.Is(err, collections.ErrNotFound) }

// OutboundIndexes are the secondary indexes of the outbound transfers.
type OutboundIndexes struct {
	// BySender is outbound_by_sender: (sender, nonce).
	BySender SenderIndex
}

// IndexesList implements collections.Indexes.
func (i OutboundIndexes) IndexesList() []collections.Index[uint64, types.OutboundTransfer] {
	return []collections.Index[uint64, types.OutboundTransfer]{i.BySender}
}

// NewOutboundIndexes builds the indexes.
func NewOutboundIndexes(sb *collections.SchemaBuilder, ac address.Codec) OutboundIndexes {
	return OutboundIndexes{
		BySender: SenderIndex{ac: ac, refs: collections.NewMap(sb, types.OutboundBySenderKey, "outbound_by_sender",
			collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint64Key), collections.NoValue{})},
	}
}

// SenderIndex is a multi index (sender, nonce) -> nothing, like indexes.Multi, but it exposes
// IterateRaw and KeyCodec so query.CollectionPaginate can page one sender's transfers directly.
type SenderIndex struct {
	ac   address.Codec
	refs collections.Map[collections.Pair[sdk.AccAddress, uint64], collections.NoValue]
}

// senderKey decodes the sender of a transfer.
func (i SenderIndex) senderKey(v types.OutboundTransfer) (sdk.AccAddress, error) {
	return i.ac.StringToBytes(v.Sender)
}

// Reference implements collections.Index.
func (i SenderIndex) Reference(ctx context.Context, pk uint64, newValue types.OutboundTransfer, lazyOldValue func() (types.OutboundTransfer, error)) error {
	old, err := lazyOldValue()
	switch {
	case err == nil:
		if err := i.unref(ctx, pk, old); err != nil {
			return err
		}
	case !isNotFound(err):
		return err
	}
	sender, err := i.senderKey(newValue)
	if err != nil {
		return err
	}
	return i.refs.Set(ctx, collections.Join(sender, pk), collections.NoValue{})
}

// Unreference implements collections.Index.
func (i SenderIndex) Unreference(ctx context.Context, pk uint64, lazyOldValue func() (types.OutboundTransfer, error)) error {
	old, err := lazyOldValue()
	if err != nil {
		return err
	}
	return i.unref(ctx, pk, old)
}

func (i SenderIndex) unref(ctx context.Context, pk uint64, old types.OutboundTransfer) error {
	sender, err := i.senderKey(old)
	if err != nil {
		return err
	}
	return i.refs.Remove(ctx, collections.Join(sender, pk))
}

// IterateRaw iterates raw index keys (for pagination).
func (i SenderIndex) IterateRaw(ctx context.Context, start, end []byte, order collections.Order) (collections.Iterator[collections.Pair[sdk.AccAddress, uint64], collections.NoValue], error) {
	return i.refs.IterateRaw(ctx, start, end, order)
}

// KeyCodec returns the index key codec.
func (i SenderIndex) KeyCodec() collcodec.KeyCodec[collections.Pair[sdk.AccAddress, uint64]] {
	return i.refs.KeyCodec()
}
