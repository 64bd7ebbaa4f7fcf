// Package slots counts what is in progress per key (a caller, a client address) under a bound,
// so that one key cannot take every place a node shares among its callers.
package slots

import "sync"

// PerKey counts the things in progress of each key. Its zero value is ready to use; it is safe
// for concurrent use, and holds only the keys with something in progress.
type PerKey struct {
	mu sync.Mutex
	n  map[string]int
}

// Take counts one more for key, unless key has limit in progress already.
func (p *PerKey) Take(key string, limit int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n[key] >= limit {
		return false
	}
	if p.n == nil {
		p.n = map[string]int{}
	}
	p.n[key]++
	return true
}

// Done ends one that Take counted for key; a key with none left is forgotten.
func (p *PerKey) Done(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n[key]--; p.n[key] <= 0 {
		delete(p.n, key)
	}
}

// Len is the number of keys with something in progress.
func (p *PerKey) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.n)
}
