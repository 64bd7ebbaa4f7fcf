package chainutil

import (
	"bytes"
	"context"
	"errors"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"
	"cosmossdk.io/collections/indexes"
)

// KeptMulti is an indexes.Multi that leaves a value's entry alone when a Set does not change
// its reference. indexes.Multi removes the entry and writes it again on every Set: two store
// writes, their gas, and the commit of a key whose value did not change. The index holds the
// same entries either way.
type KeptMulti[R, K, V any] struct {
	*indexes.Multi[R, K, V]
	refCodec collcodec.KeyCodec[R]
	ref      func(K, V) (R, error)
}

// NewKeptMulti declares the index on the schema, as indexes.NewMulti does.
func NewKeptMulti[R, K, V any](sb *collections.SchemaBuilder, prefix collections.Prefix, name string,
	refCodec collcodec.KeyCodec[R], pkCodec collcodec.KeyCodec[K], ref func(K, V) (R, error),
) *KeptMulti[R, K, V] {
	return &KeptMulti[R, K, V]{
		Multi:    indexes.NewMulti(sb, prefix, name, refCodec, pkCodec, ref),
		refCodec: refCodec,
		ref:      ref,
	}
}

// Reference implements collections.Index: nothing when the stored value and the new one have
// the same reference, indexes.Multi's Reference otherwise (and for a new value).
func (m *KeptMulti[R, K, V]) Reference(ctx context.Context, pk K, newValue V, lazyOldValue func() (V, error)) error {
	if old, err := lazyOldValue(); err == nil {
		oldRef, errOld := m.ref(pk, old)
		newRef, errNew := m.ref(pk, newValue)
		if errOld == nil && errNew == nil && sameKey(m.refCodec, oldRef, newRef) {
			return nil
		}
	}
	return m.Multi.Reference(ctx, pk, newValue, lazyOldValue)
}

// sameKey reports whether a and b encode to the same key bytes.
func sameKey[R any](kc collcodec.KeyCodec[R], a, b R) bool {
	ka, ok := encodeKey(kc, a)
	if !ok {
		return false
	}
	kb, ok := encodeKey(kc, b)
	return ok && bytes.Equal(ka, kb)
}

func encodeKey[R any](kc collcodec.KeyCodec[R], r R) ([]byte, bool) {
	buf := make([]byte, kc.Size(r))
	n, err := kc.Encode(buf, r)
	if err != nil {
		return nil, false
	}
	return buf[:n], true
}

// MultiRefIndex is a secondary index of an IndexedMap for a value that has several references
// at once (a listing's tags): one (reference, id) entry per reference, kept by the IndexedMap on
// every Set and Remove. indexes.Multi covers values with one reference each.
type MultiRefIndex[R, V any] struct {
	keys     collections.KeySet[collections.Pair[R, uint64]]
	refCodec collcodec.KeyCodec[R]
	refs     func(V) []R
}

// NewMultiRefIndex declares the index on the schema; refs returns a value's references
// (duplicates are harmless).
func NewMultiRefIndex[R, V any](sb *collections.SchemaBuilder, prefix collections.Prefix, name string,
	refCodec collcodec.KeyCodec[R], refs func(V) []R,
) *MultiRefIndex[R, V] {
	return &MultiRefIndex[R, V]{
		keys:     collections.NewKeySet(sb, prefix, name, collections.PairKeyCodec(refCodec, collections.Uint64Key)),
		refCodec: refCodec,
		refs:     refs,
	}
}

// Reference implements collections.Index: the old value's entries that the new value does not
// have go, the new value's entries that the old value did not have come; entries both have are
// left alone.
func (i *MultiRefIndex[R, V]) Reference(ctx context.Context, pk uint64, newValue V, lazyOldValue func() (V, error)) error {
	old, err := lazyOldValue()
	var oldRefs []R
	switch {
	case err == nil:
		oldRefs = i.refs(old)
	case !errors.Is(err, collections.ErrNotFound):
		return err
	}
	newRefs := i.refs(newValue)
	oldKeys, newKeys := i.encode(oldRefs), i.encode(newRefs)
	for n, r := range oldRefs {
		if oldKeys[n] != "" && contains(newKeys, oldKeys[n]) {
			continue
		}
		if err := i.keys.Remove(ctx, collections.Join(r, pk)); err != nil {
			return err
		}
	}
	for n, r := range newRefs {
		if newKeys[n] != "" && contains(oldKeys, newKeys[n]) {
			continue
		}
		if err := i.keys.Set(ctx, collections.Join(r, pk)); err != nil {
			return err
		}
	}
	return nil
}

// encode returns each reference's key bytes ("" for one that does not encode: it is then
// removed and written as before, and the store reports the error).
func (i *MultiRefIndex[R, V]) encode(refs []R) []string {
	out := make([]string, len(refs))
	for n, r := range refs {
		if k, ok := encodeKey(i.refCodec, r); ok {
			out[n] = string(k)
		}
	}
	return out
}

// contains scans: reference lists are short (a listing has at most 8 tags).
func contains(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
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
