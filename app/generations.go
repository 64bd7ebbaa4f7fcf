package app

import (
	"bytes"
	"sync/atomic"
)

// generations is a map bounded by two generations, for the app's node-local caches of
// decodings: an entry goes into the newer generation, which becomes the older one when it holds
// maxLen entries or (maxBytes > 0) maxBytes of keys, the older one then being dropped whole. It
// holds at most 2 × maxLen entries and 2 × maxBytes of keys. Callers hold their own lock.
type generations[V any] struct {
	maxLen, maxBytes int
	cur, old         map[string]V
	curBytes         int
}

func newGenerations[V any](maxLen, maxBytes int) generations[V] {
	return generations[V]{maxLen: max(maxLen, 1), maxBytes: maxBytes, cur: make(map[string]V)}
}

// get returns the entry under key; one found in the older generation is put in the newer.
func (g *generations[V]) get(key []byte) (V, bool) {
	if v, ok := g.cur[string(key)]; ok {
		return v, true
	}
	v, ok := g.old[string(key)]
	if ok {
		g.put(string(key), v)
	}
	return v, ok
}

// getString is get with a string key.
func (g *generations[V]) getString(key string) (V, bool) {
	if v, ok := g.cur[key]; ok {
		return v, true
	}
	v, ok := g.old[key]
	if ok {
		g.put(key, v)
	}
	return v, ok
}

// peek returns the entry under key, leaving it in its generation.
func (g *generations[V]) peek(key []byte) (V, bool) {
	if v, ok := g.cur[string(key)]; ok {
		return v, true
	}
	v, ok := g.old[string(key)]
	return v, ok
}

// take returns and removes the entry under key.
func (g *generations[V]) take(key []byte) (V, bool) {
	if v, ok := g.cur[string(key)]; ok {
		delete(g.cur, string(key))
		g.curBytes -= len(key)
		return v, true
	}
	v, ok := g.old[string(key)]
	delete(g.old, string(key))
	return v, ok
}

// put sets the entry under key, in the newer generation.
func (g *generations[V]) put(key string, v V) {
	if len(g.cur) >= g.maxLen || (g.maxBytes > 0 && g.curBytes+len(key) > g.maxBytes) {
		g.old, g.cur, g.curBytes = g.cur, make(map[string]V), 0
	}
	delete(g.old, key)
	if _, ok := g.cur[key]; !ok {
		g.curBytes += len(key)
	}
	g.cur[key] = v
}

// len is the number of entries (a key is in one generation at most).
func (g *generations[V]) len() int { return len(g.cur) + len(g.old) }

// lastDecoding remembers one decoding: that of the bytes last decoded, for values read again
// and again while their stored bytes rarely change (parameters). Safe for concurrent use.
type lastDecoding[V any] struct {
	p atomic.Pointer[bytesDecoding[V]]
}

// bytesDecoding is v, decoded from bz.
type bytesDecoding[V any] struct {
	bz []byte
	v  V
}

// get returns the decoding of bz, if it is the one remembered.
func (l *lastDecoding[V]) get(bz []byte) (V, bool) {
	if last := l.p.Load(); last != nil && bytes.Equal(last.bz, bz) {
		return last.v, true
	}
	var zero V
	return zero, false
}

// put remembers v as the decoding of (a copy of) bz; v must not be changed afterwards.
func (l *lastDecoding[V]) put(bz []byte, v V) {
	l.p.Store(&bytesDecoding[V]{bz: bytes.Clone(bz), v: v})
}
