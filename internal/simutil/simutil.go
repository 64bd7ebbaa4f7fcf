// Package simutil holds the helpers the modules' randomized simulations share: the result
// handler of deliberately invalid messages and generators of valid field values.
package simutil

import (
	"errors"
	"fmt"
	"math/rand"

	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"
)

// ExpectRejection is the delivery result handler of deliberately invalid messages: the chain
// must refuse them (and, refusing them, change no state).
func ExpectRejection(err error) error {
	if err == nil {
		return errors.New("the chain accepted a message it must refuse")
	}
	return nil
}

// CID returns a random CIDv1 (raw codec, sha2-256) as a string.
func CID(r *rand.Rand) string {
	data := make([]byte, 16)
	_, _ = r.Read(data)
	h, err := multihash.Sum(data, multihash.SHA2_256, -1)
	if err != nil {
		panic(err)
	}
	return cid.NewCidV1(cid.Raw, h).String()
}

const slugChars = "abcdefghijklmnopqrstuvwxyz0123456789"

// Slug returns a random lowercase slug of 1 to maxLen characters of [a-z0-9].
func Slug(r *rand.Rand, maxLen int) string {
	n := 1 + r.Intn(maxLen)
	b := make([]byte, n)
	for i := range b {
		b[i] = slugChars[r.Intn(len(slugChars))]
	}
	return string(b)
}

// Semver returns a random semantic version such as 1.4.2.
func Semver(r *rand.Rand) string {
	return fmt.Sprintf("%d.%d.%d", r.Intn(10), r.Intn(20), r.Intn(50))
}

// Pick returns a random element of items; ok is false when items is empty.
func Pick[T any](r *rand.Rand, items []T) (item T, ok bool) {
	if len(items) == 0 {
		return item, false
	}
	return items[r.Intn(len(items))], true
}
