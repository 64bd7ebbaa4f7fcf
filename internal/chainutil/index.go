package chainutil

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"
)

// MultiRefIndex is a secondary index of an IndexedMap for a value that has several references
// at once (a listing's tags): one (reference, id) entry per reference, kept by the IndexedMap on
// every Set and Remove. indexes.Multi covers values with one reference each.
type MultiRefIndex[R, V any] struct {
	keys collections.KeySet[collections.Pair[R, uint64]]
	refs func(V) []R
}

// NewMultiRefIndex declares the index on the schema; refs returns a value's references
// (duplicates are harmless).
func NewMultiRefIndex[R, V any](sb *collections.SchemaBuilder, prefix collections.Prefix, name string,
	refCodec collcodec.KeyCodec[R], refs func(V) []R,
) *MultiRefIndex[R, V] {
	return &MultiRefIndex[R, V]{
		keys: collections.NewKeySet(sb, prefix, name, collections.PairKeyCodec(refCodec, collections.Uint64Key)),
		refs: refs,
	}
}

// Reference implements collections.Index: the old value's entries go, the new value's come.
func (i *MultiRefIndex[R, V]) Reference(ctx context.Context, pk uint64, newValue V, lazyOldValue func() (V, error)) error {
	old, err := lazyOldValue()
	switch {
	case err == nil:
		if err := i.unref(ctx, pk, old); err != nil {
			return err
		}
	case !errors.Is(err, collections.ErrNotFound):
		return err
	}
	for _, r := range i.refs(newValue) {
		if err := i.keys.Set(ctx, collections.Join(r, pk)); err != nil {
			return err
		}
	}
	return nil
}

// Unreference implements collections.Index.
func (i *MultiRefIndex[R, V]) Unreference(ctx context.Context, pk uint64, lazyOldValue func() (V, error)) error {
	old, err := lazyOldValue()
	if err != nil {
		return err
	}
	return i.unref(ctx, pk, old)
}

func (i *MultiRefIndex[R, V]) unref(ctx context.Context, pk uint64, old V) error {
	for _, r := range i.refs(old) {
		if err := i.keys.Remove(ctx, collections.Join(r, pk)); err != nil {
			return err
		}
	}
	return nil
}

// Keys returns the (reference, id) entries, for PaginateIndex and lookups.
func (i *MultiRefIndex[R, V]) Keys() collections.KeySet[collections.Pair[R, uint64]] { return i.keys }
