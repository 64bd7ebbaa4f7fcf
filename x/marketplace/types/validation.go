package types

import (
	"net/url"
	"strings"
	"unicode/utf8"

	errorsmod "cosmossdk.io/errors"
	"github.com/ipfs/go-cid"

	"github.com/balanceai/balanceai/internal/text"
)

// Field bounds of a listing (docs/spec/marketplace.md).
const (
	MaxNameLength        = 64
	MaxDescriptionLength = 2048
	MaxTaskLength        = 64
	MaxTags              = 8
	MaxTagLength         = 32
	MaxEndpointLength    = 256
	// MaxCIDLength bounds metadata_cid: an identity-hash CID could otherwise carry arbitrary data.
	MaxCIDLength = 128
	// MaxVersionLength bounds the semver string.
	MaxVersionLength = 64
	// MaxReasonLength bounds a slash reason.
	MaxReasonLength = 512
)

// ValidateListingFields checks every field of a listing that does not need state: kind,
// name, description, task, tags, endpoint, metadata CID, version, access policy, and that
// components appear only on agents, without duplicates or self-references. Collateral
// minimums, component existence and the component count limit need params or state and
// are checked by the keeper.
func ValidateListingFields(l *Listing) error {
	if l.Kind != ListingKindModel && l.Kind != ListingKindAgent {
		return errorsmod.Wrapf(ErrInvalidListing, "kind must be LISTING_KIND_MODEL or LISTING_KIND_AGENT, got %s", l.Kind)
	}
	if err := ValidateName(l.Name); err != nil {
		return err
	}
	if err := ValidateMutableFields(l.Description, l.Task, l.Tags, l.Endpoint, l.MetadataCid, l.Version, l.Access); err != nil {
		return err
	}
	return ValidateComponentList(l.Id, l.Kind, l.Components)
}

// ValidateMutableFields checks the fields MsgUpdateListing may replace.
func ValidateMutableFields(description, task string, tags []string, endpoint, metadataCID, version string, access AccessPolicy) error {
	if err := ValidateDescription(description); err != nil {
		return err
	}
	if err := ValidateTask(task); err != nil {
		return err
	}
	if err := ValidateTags(tags); err != nil {
		return err
	}
	if err := ValidateEndpoint(endpoint); err != nil {
		return err
	}
	if err := ValidateMetadataCID(metadataCID); err != nil {
		return err
	}
	if err := ValidateVersion(version); err != nil {
		return err
	}
	return ValidateAccessPolicy(access)
}

// ValidateComponentList checks the stateless component rules: only agents have
// components, none repeats and none is the listing itself.
func ValidateComponentList(id uint64, kind ListingKind, components []uint64) error {
	if kind != ListingKindAgent {
		if len(components) != 0 {
			return errorsmod.Wrapf(ErrInvalidComponents, "only agents have components; a %s has %d", kind, len(components))
		}
		return nil
	}
	seen := make(map[uint64]struct{}, len(components))
	for _, c := range components {
		if c == 0 {
			return errorsmod.Wrap(ErrInvalidComponents, "component id 0 does not exist; ids start at 1")
		}
		if id != 0 && c == id {
			return errorsmod.Wrapf(ErrInvalidComponents, "agent %d cannot compose itself", id)
		}
		if _, dup := seen[c]; dup {
			return errorsmod.Wrapf(ErrInvalidComponents, "component %d is listed twice", c)
		}
		seen[c] = struct{}{}
	}
	return nil
}

// ValidateName checks a display name: 1-64 characters of valid UTF-8, only visible
// characters and plain spaces (text.CheckVisible), no leading or trailing spaces.
func ValidateName(name string) error {
	n := utf8.RuneCountInString(name)
	if n < 1 || n > MaxNameLength {
		return errorsmod.Wrapf(ErrInvalidListing, "name must be 1-%d characters, got %d", MaxNameLength, n)
	}
	if err := checkVisible("name", name); err != nil {
		return err
	}
	if strings.TrimSpace(name) != name {
		return errorsmod.Wrap(ErrInvalidListing, "name must not start or end with spaces")
	}
	return nil
}

// ValidateDescription checks a description: at most 2048 characters of valid UTF-8, only
// visible characters, plain spaces, newlines and tabs.
func ValidateDescription(description string) error {
	if n := utf8.RuneCountInString(description); n > MaxDescriptionLength {
		return errorsmod.Wrapf(ErrInvalidListing, "description must be at most %d characters, got %d", MaxDescriptionLength, n)
	}
	if err := text.CheckVisible(description, '\n', '\t'); err != nil {
		return errorsmod.Wrapf(ErrInvisibleCharacter, "description %v", err)
	}
	return nil
}

// checkVisible refuses a short displayed field with invalid UTF-8 or an invisible character
// (bidi controls, zero-width and non-ASCII spaces, ...), naming the field and quoting its
// value with the offending character escaped.
func checkVisible(field, s string) error {
	if err := text.CheckVisible(s); err != nil {
		return errorsmod.Wrapf(ErrInvisibleCharacter, "%s %q %v", field, s, err)
	}
	return nil
}

// isSlug reports whether s is 1..maxLen characters of [a-z0-9-].
func isSlug(s string, maxLen int) bool {
	if len(s) == 0 || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// ValidateTask checks a task: a non-empty lowercase slug [a-z0-9-] of at most 64
// characters, not starting or ending with '-'.
func ValidateTask(task string) error {
	if err := checkVisible("task", task); err != nil {
		return err
	}
	if !isSlug(task, MaxTaskLength) || task[0] == '-' || task[len(task)-1] == '-' {
		return errorsmod.Wrapf(ErrInvalidListing,
			"task %q must be a lowercase slug of 1-%d characters [a-z0-9-] (e.g. nlp, text-to-image)", task, MaxTaskLength)
	}
	return nil
}

// ValidateTags checks tags: at most 8, each 1-32 characters [a-z0-9-], no duplicates.
func ValidateTags(tags []string) error {
	if len(tags) > MaxTags {
		return errorsmod.Wrapf(ErrInvalidTags, "at most %d tags are allowed, got %d", MaxTags, len(tags))
	}
	for i, t := range tags {
		if err := checkVisible("tag", t); err != nil {
			return err
		}
		if !isSlug(t, MaxTagLength) {
			return errorsmod.Wrapf(ErrInvalidTags, "tag %q must be 1-%d characters of lowercase [a-z0-9-]", t, MaxTagLength)
		}
		for _, prev := range tags[:i] {
			if prev == t {
				return errorsmod.Wrapf(ErrInvalidTags, "tag %q is listed twice", t)
			}
		}
	}
	return nil
}

// ValidateEndpoint checks an endpoint: an https URL with a host, at most 256
// characters, without credentials; plain http only to localhost, 127.0.0.1 or [::1]
// (devnets).
func ValidateEndpoint(endpoint string) error {
	if len(endpoint) == 0 || len(endpoint) > MaxEndpointLength {
		return errorsmod.Wrapf(ErrInvalidEndpoint, "endpoint must be 1-%d characters, got %d", MaxEndpointLength, len(endpoint))
	}
	if err := checkVisible("endpoint", endpoint); err != nil {
		return err
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return errorsmod.Wrapf(ErrInvalidEndpoint, "endpoint %q is not a URL: %v", endpoint, err)
	}
	if u.Opaque != "" || u.Host == "" || u.Hostname() == "" {
		return errorsmod.Wrapf(ErrInvalidEndpoint, "endpoint %q must be an absolute URL with a host", endpoint)
	}
	if u.User != nil {
		return errorsmod.Wrapf(ErrInvalidEndpoint, "endpoint %q must not contain credentials", endpoint)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		switch u.Hostname() {
		case "localhost", "127.0.0.1", "::1":
			return nil
		}
		return errorsmod.Wrapf(ErrInvalidEndpoint, "endpoint %q must use https (http is only allowed to localhost)", endpoint)
	default:
		return errorsmod.Wrapf(ErrInvalidEndpoint, "endpoint %q must use https", endpoint)
	}
}

// ValidateMetadataCID checks that s parses with go-cid as a CIDv0 or CIDv1.
func ValidateMetadataCID(s string) error {
	if len(s) == 0 || len(s) > MaxCIDLength {
		return errorsmod.Wrapf(ErrInvalidCID, "metadata_cid must be 1-%d characters, got %d", MaxCIDLength, len(s))
	}
	if err := checkVisible("metadata_cid", s); err != nil {
		return err
	}
	c, err := cid.Decode(s)
	if err != nil {
		return errorsmod.Wrapf(ErrInvalidCID, "metadata_cid %q is not an IPFS CID: %v", s, err)
	}
	if v := c.Version(); v != 0 && v != 1 {
		return errorsmod.Wrapf(ErrInvalidCID, "metadata_cid %q has CID version %d; only v0 and v1 are accepted", s, v)
	}
	return nil
}

// ValidateVersion checks a strict semantic version (semver 2.0.0, no "v" prefix):
// MAJOR.MINOR.PATCH with optional -prerelease and +build parts.
func ValidateVersion(v string) error {
	if err := checkVisible("version", v); err != nil {
		return err
	}
	if len(v) == 0 || len(v) > MaxVersionLength || !IsSemver(v) {
		return errorsmod.Wrapf(ErrInvalidVersion, "version %q must be a semantic version like 1.2.3 or 1.0.0-rc.1 (at most %d characters)", v, MaxVersionLength)
	}
	return nil
}

// IsSemver reports whether v is a semver 2.0.0 version string.
func IsSemver(v string) bool {
	if i := strings.IndexByte(v, '+'); i >= 0 {
		if !identifiers(v[i+1:], false) {
			return false
		}
		v = v[:i]
	}
	if i := strings.IndexByte(v, '-'); i >= 0 {
		if !identifiers(v[i+1:], true) {
			return false
		}
		v = v[:i]
	}
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if !numericIdentifier(p) {
			return false
		}
	}
	return true
}

// numericIdentifier is a non-empty digit string without leading zeros.
func numericIdentifier(s string) bool {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// identifiers checks dot-separated non-empty [0-9A-Za-z-] identifiers; in a
// pre-release, purely numeric identifiers must not have leading zeros.
func identifiers(s string, prerelease bool) bool {
	if s == "" {
		return false
	}
	for _, id := range strings.Split(s, ".") {
		if id == "" {
			return false
		}
		numeric := true
		for i := 0; i < len(id); i++ {
			c := id[i]
			switch {
			case c >= '0' && c <= '9':
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-':
				numeric = false
			default:
				return false
			}
		}
		if prerelease && numeric && !numericIdentifier(id) {
			return false
		}
	}
	return true
}

// ValidateAccessPolicy checks min_stake is a non-negative Int and mode is PUBLIC or ALLOWLIST.
func ValidateAccessPolicy(a AccessPolicy) error {
	if a.MinStake.IsNil() || a.MinStake.IsNegative() {
		return errorsmod.Wrap(ErrInvalidAccessPolicy, "access.min_stake must be a non-negative amount of ubai")
	}
	if a.Mode != AccessModePublic && a.Mode != AccessModeAllowlist {
		return errorsmod.Wrapf(ErrInvalidAccessPolicy, "access.mode must be ACCESS_MODE_PUBLIC or ACCESS_MODE_ALLOWLIST, got %s", a.Mode)
	}
	return nil
}

// KindLabel names a kind with its article ("a model", "an agent") for error messages.
func KindLabel(k ListingKind) string {
	switch k {
	case ListingKindModel:
		return "a model"
	case ListingKindAgent:
		return "an agent"
	default:
		return k.String()
	}
}
