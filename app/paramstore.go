package app

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"
	corestore "cosmossdk.io/core/store"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/codec"
)

// consensusParamsPrefix is the key of the x/consensus keeper's ParamsStore item.
var consensusParamsPrefix = collections.NewPrefix("Consensus")

// consensusParamStore is BaseApp's consensus parameter store: the x/consensus keeper's item,
// with the decoding of the bytes last read remembered. BaseApp reads the parameters for every
// transaction it runs (CheckTx, FinalizeBlock, simulations) to put them in the transaction's
// context, under its own lock, and each read decoded the same bytes again.
//
// Get reads the stored bytes as the item does (same key, same store) and decodes them only when
// they differ from the last bytes decoded; every caller gets its own deep copy. Reading a missing
// value, Has and Set are the item's. Node-local memory, never state; safe for concurrent use.
type consensusParamStore struct {
	item  collections.Item[cmtproto.ConsensusParams]
	store corestore.KVStoreService
	codec collcodec.ValueCodec[cmtproto.ConsensusParams]
	last  lastDecoding[cmtproto.ConsensusParams]
	// decodes counts the decodings Get made.
	decodes atomic.Uint64
}

var _ baseapp.ParamStore = (*consensusParamStore)(nil)

// newConsensusParamStore wraps item, the x/consensus keeper's ParamsStore kept in store.
func newConsensusParamStore(item collections.Item[cmtproto.ConsensusParams], store corestore.KVStoreService, cdc codec.BinaryCodec) *consensusParamStore {
	return &consensusParamStore{item: item, store: store, codec: codec.CollValue[cmtproto.ConsensusParams](cdc)}
}

// Get implements baseapp.ParamStore.
func (s *consensusParamStore) Get(ctx context.Context) (cmtproto.ConsensusParams, error) {
	bz, err := s.store.OpenKVStore(ctx).Get(consensusParamsPrefix.Bytes())
	if err != nil {
		return cmtproto.ConsensusParams{}, err
	}
	if bz == nil {
		return s.item.Get(ctx)
	}
	if params, ok := s.last.get(bz); ok {
		return cloneConsensusParams(params), nil
	}
	s.decodes.Add(1)
	params, err := s.codec.Decode(bz)
	if err != nil {
		return cmtproto.ConsensusParams{}, fmt.Errorf("%w: value decode: %w", collections.ErrEncoding, err)
	}
	s.last.put(bz, cloneConsensusParams(params))
	return params, nil
}

// Has implements baseapp.ParamStore.
func (s *consensusParamStore) Has(ctx context.Context) (bool, error) { return s.item.Has(ctx) }

// Set implements baseapp.ParamStore.
func (s *consensusParamStore) Set(ctx context.Context, cp cmtproto.ConsensusParams) error {
	return s.item.Set(ctx, cp)
}

// cloneConsensusParams copies cp and everything it points to.
func cloneConsensusParams(cp cmtproto.ConsensusParams) cmtproto.ConsensusParams {
	out := cmtproto.ConsensusParams{
		Block:     clonePointee(cp.Block),
		Evidence:  clonePointee(cp.Evidence),
		Validator: clonePointee(cp.Validator),
		Version:   clonePointee(cp.Version),
		Abci:      clonePointee(cp.Abci),
	}
	if out.Validator != nil {
		out.Validator.PubKeyTypes = slices.Clone(out.Validator.PubKeyTypes)
	}
	return out
}

// clonePointee returns a pointer to a copy of *p, or nil.
func clonePointee[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
