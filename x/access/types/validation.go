package types

import (
	"fmt"

	"cosmossdk.io/core/address"
	errorsmod "cosmossdk.io/errors"
	"github.com/ipfs/go-cid"
)

// MaxCIDLength bounds request and response CIDs: an identity-hash CID could otherwise carry
// arbitrary data into state.
const MaxCIDLength = 128

// ValidateCID checks that s parses with go-cid as a CIDv0 or CIDv1 of at most MaxCIDLength
// characters.
func ValidateCID(s string) error {
	if len(s) == 0 || len(s) > MaxCIDLength {
		return fmt.Errorf("CID must be 1-%d characters, got %d", MaxCIDLength, len(s))
	}
	c, err := cid.Decode(s)
	if err != nil {
		return fmt.Errorf("%q is not an IPFS CID: %v", s, err)
	}
	if v := c.Version(); v != 0 && v != 1 {
		return fmt.Errorf("%q has CID version %d; only v0 and v1 are accepted", s, v)
	}
	return nil
}

// ValidateRecord checks the format of one usage record (not access) and returns the decoded
// user. Errors wrap ErrInvalidRecord and name the field.
func ValidateRecord(ac address.Codec, r UsageRecord) ([]byte, error) {
	user, err := DecodeRecordUser(ac, r.User)
	if err != nil {
		return nil, err
	}
	if err := ValidateRecordFields(r); err != nil {
		return nil, err
	}
	return user, nil
}

// DecodeRecordUser decodes a usage record's user; the error wraps ErrInvalidRecord.
func DecodeRecordUser(ac address.Codec, user string) ([]byte, error) {
	bz, err := ac.StringToBytes(user)
	if err != nil || len(bz) == 0 {
		return nil, errorsmod.Wrapf(ErrInvalidRecord, "user %q is not a valid address", user)
	}
	return bz, nil
}

// ValidateRecordFields checks a usage record's CIDs and units (not its user); errors wrap
// ErrInvalidRecord and name the field.
func ValidateRecordFields(r UsageRecord) error {
	if err := ValidateCID(r.RequestCid); err != nil {
		return errorsmod.Wrapf(ErrInvalidRecord, "request_cid: %v", err)
	}
	if err := ValidateCID(r.ResponseCid); err != nil {
		return errorsmod.Wrapf(ErrInvalidRecord, "response_cid: %v", err)
	}
	if r.Units == 0 {
		return errorsmod.Wrap(ErrInvalidRecord, "units must be at least 1")
	}
	return nil
}

// DecodeAddresses decodes a list of unique account addresses; field names the list in errors.
func DecodeAddresses(ac address.Codec, field string, addrs []string) ([][]byte, error) {
	out := make([][]byte, 0, len(addrs))
	// Lookup only, never iterated: the result and the first error follow the input order.
	seen := make(map[string]struct{}, len(addrs))
	for i, a := range addrs {
		bz, err := ac.StringToBytes(a)
		if err != nil || len(bz) == 0 {
			return nil, errorsmod.Wrapf(ErrInvalidAddress, "%s[%d] %q", field, i, a)
		}
		if _, dup := seen[string(bz)]; dup {
			return nil, errorsmod.Wrapf(ErrDuplicateAddress, "%s[%d] %s appears twice", field, i, a)
		}
		seen[string(bz)] = struct{}{}
		out = append(out, bz)
	}
	return out, nil
}
