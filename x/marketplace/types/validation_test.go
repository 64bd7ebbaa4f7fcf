package types_test

import (
	"fmt"
	"strings"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/text"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

func TestValidateMetadataCID(t *testing.T) {
	for _, ok := range []string{
		"QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG",              // v0
		"bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", // v1 base32
		"zdj7WWeQ43G6JJvLWQWZpyHuAMq6uYWRjkBXFad11vE2LHhQ7",           // v1 base58btc
	} {
		require.NoError(t, types.ValidateMetadataCID(ok), ok)
	}
	for _, bad := range []string{"", "Qm", "hello", "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdX0",
		"bafy", "ipfs://QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG", strings.Repeat("b", 200)} {
		require.ErrorIs(t, types.ValidateMetadataCID(bad), types.ErrInvalidCID, bad)
	}
}

func TestValidateEndpoint(t *testing.T) {
	for _, ok := range []string{"https://node.example.com", "https://node.example.com:8443/v1?x=1",
		"http://localhost:8080", "http://127.0.0.1/v1", "http://[::1]:9000", "https://[2001:db8::1]/"} {
		require.NoError(t, types.ValidateEndpoint(ok), ok)
	}
	for _, bad := range []string{"", "node.example.com", "http://example.com", "ftp://example.com", "https://",
		"https://user:pw@example.com", "mailto:a@b.c", "http://localhost.evil.com", "https:///x",
		"https://a.io/" + strings.Repeat("x", 250)} {
		require.ErrorIs(t, types.ValidateEndpoint(bad), types.ErrInvalidEndpoint, bad)
	}
}

func TestSemver(t *testing.T) {
	for _, ok := range []string{"0.0.0", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7",
		"1.0.0-x.7.z.92", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85", "1.0.0-alpha-a.b-c"} {
		require.True(t, types.IsSemver(ok), ok)
	}
	for _, bad := range []string{"", "1", "1.2", "1.2.3.4", "v1.2.3", "01.2.3", "1.02.3", "1.2.03", "1.2.3-",
		"1.2.3+", "1.2.3-01", "1.2.3-a..b", "1.2.3+a..b", "1.2.3-α", " 1.2.3", "1.2.-3", "a.b.c"} {
		require.False(t, types.IsSemver(bad), bad)
	}
}

// TestSemverProperty: every version assembled from valid parts is accepted, and the
// same version with a leading zero or a "v" prefix is refused.
func TestSemverProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		num := func(label string) string { return fmt.Sprint(rapid.Uint32().Draw(t, label)) }
		ident := rapid.StringMatching(`[0-9A-Za-z-]{1,8}`)
		v := num("major") + "." + num("minor") + "." + num("patch")
		if rapid.Bool().Draw(t, "pre") {
			id := ident.Draw(t, "preid")
			if strings.Trim(id, "0123456789") == "" {
				id = num("prenum")
			}
			v += "-" + id
		}
		if rapid.Bool().Draw(t, "build") {
			v += "+" + ident.Draw(t, "buildid")
		}
		if !types.IsSemver(v) {
			t.Fatalf("valid version %q refused", v)
		}
		if types.IsSemver("v" + v) {
			t.Fatalf("%q accepted with a v prefix", v)
		}
		if types.IsSemver("0"+v) && !strings.HasPrefix(v, "0.") {
			// "0" + "12.x.y" = "012.x.y" has a leading zero.
			t.Fatalf("%q accepted with a leading zero", "0"+v)
		}
	})
}

func TestValidateTagsAndTask(t *testing.T) {
	require.NoError(t, types.ValidateTags(nil))
	require.NoError(t, types.ValidateTags([]string{"llm", "text-to-image", strings.Repeat("a", 32)}))
	for _, bad := range [][]string{{""}, {"Llm"}, {"a b"}, {"llm", "llm"}, {strings.Repeat("a", 33)},
		strings.Split("a,b,c,d,e,f,g,h,i", ",")} {
		require.ErrorIs(t, types.ValidateTags(bad), types.ErrInvalidTags, "%v", bad)
	}
	require.NoError(t, types.ValidateTask("computer-vision"))
	for _, bad := range []string{"", "-nlp", "nlp-", "NLP", "n lp", strings.Repeat("a", 65)} {
		require.ErrorIs(t, types.ValidateTask(bad), types.ErrInvalidListing, bad)
	}
}

func TestParamsValidate(t *testing.T) {
	require.NoError(t, types.DefaultParams().Validate())
	p := types.DefaultParams()
	require.Equal(t, "1000000000ubai", p.MinModelCollateral.String())
	require.Equal(t, "500000000ubai", p.MinAgentCollateral.String())
	require.Equal(t, "10000000ubai", p.RegistrationFee.String())
	p.MaxComponents = 65
	require.ErrorIs(t, p.Validate(), types.ErrInvalidParams)
	p = types.DefaultParams()
	p.MinAgentCollateral = sdk.Coin{Denom: "ubai", Amount: math.NewInt(-1)}
	require.ErrorIs(t, p.Validate(), types.ErrInvalidParams)
	require.NoError(t, types.DefaultGenesisState().Validate())
}

func validListing() types.Listing {
	return types.Listing{
		Id: 3, Kind: types.ListingKindAgent, Owner: "bai1x", Name: "Agent", Description: "d", Task: "nlp",
		Tags: []string{"llm"}, Endpoint: "https://a.io", MetadataCid: "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG",
		Version: "1.0.0", Components: []uint64{1, 2},
		Access: types.AccessPolicy{MinStake: math.ZeroInt(), Mode: types.AccessModePublic},
	}
}

// FuzzValidateListingFields feeds arbitrary field values to the listing validation:
// it must never panic, must refuse with a registered marketplace error, and whatever
// it accepts must satisfy the documented bounds.
func FuzzValidateListingFields(f *testing.F) {
	f.Add("Agent", "d", "nlp", "llm,vision", "https://a.io", "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG", "1.0.0", uint8(2), uint8(1), "1,2")
	f.Add("", "", "", "", "", "", "", uint8(0), uint8(0), "")
	f.Add("x", strings.Repeat("d", 2049), "NLP", "A,B", "http://example.com", "bafy", "v1", uint8(1), uint8(3), "3,3")
	f.Add("Model", "", "text-to-image", "", "http://[::1]:80", "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", "1.0.0-rc.1+b", uint8(1), uint8(2), "")
	f.Add("\x00", "\xff", "-", ",,", "https://u:p@h", "zzzz", "1.2.3-01", uint8(9), uint8(1), "0")
	f.Add("Agent\u202e", "d\u200b", "nlp\u200b", "llm\u200d", "https://a.io/\u202e", "Qm\u200b", "1.0.0\u200b", uint8(2), uint8(1), "1,2")
	f.Fuzz(func(t *testing.T, name, desc, task, tags, endpoint, cid, version string, kind, mode uint8, comps string) {
		l := validListing()
		l.Name, l.Description, l.Task, l.Endpoint, l.MetadataCid, l.Version = name, desc, task, endpoint, cid, version
		l.Kind, l.Access.Mode = types.ListingKind(kind), types.AccessMode(mode)
		l.Tags = nil
		if tags != "" {
			l.Tags = strings.Split(tags, ",")
		}
		l.Components = nil
		for _, c := range strings.Split(comps, ",") {
			var id uint64
			if _, err := fmt.Sscan(c, &id); err == nil {
				l.Components = append(l.Components, id)
			}
		}
		err := types.ValidateListingFields(&l)
		if err != nil {
			for _, e := range []error{types.ErrInvalidListing, types.ErrInvalidCID, types.ErrInvalidEndpoint,
				types.ErrInvalidVersion, types.ErrInvalidTags, types.ErrInvalidComponents, types.ErrInvalidAccessPolicy,
				types.ErrInvisibleCharacter} {
				if errorsIs(err, e) {
					return
				}
			}
			t.Fatalf("unregistered error %v", err)
		}
		if len([]rune(l.Name)) < 1 || len([]rune(l.Name)) > 64 || len([]rune(l.Description)) > 2048 ||
			len(l.Tags) > 8 || len(l.Endpoint) > 256 || !types.IsSemver(l.Version) ||
			!strings.HasPrefix(strings.ToLower(l.Endpoint), "http") {
			t.Fatalf("accepted out-of-bounds listing %+v", l)
		}
		if l.Kind == types.ListingKindModel && len(l.Components) > 0 {
			t.Fatalf("model with components accepted")
		}
		for _, field := range append([]string{l.Name, l.Task, l.Endpoint, l.MetadataCid, l.Version}, l.Tags...) {
			if text.CheckVisible(field) != nil {
				t.Fatalf("accepted invisible characters in %q", field)
			}
		}
		if text.CheckVisible(l.Description, '\n', '\t') != nil {
			t.Fatalf("accepted invisible characters in the description %q", l.Description)
		}
	})
}

// TestInvisibleCharactersRefused: every displayed field refuses bidi overrides, zero-width
// and non-ASCII spaces and fillers with ErrInvisibleCharacter, naming the field and the code
// point; the description still takes newlines and tabs, and visible non-ASCII text passes.
func TestInvisibleCharactersRefused(t *testing.T) {
	for _, tc := range []struct {
		field string
		mut   func(l *types.Listing, bad string)
	}{
		{"name", func(l *types.Listing, bad string) { l.Name = "Llama" + bad + "Summariser" }},
		{"description", func(l *types.Listing, bad string) { l.Description = "Summarises" + bad }},
		{"task", func(l *types.Listing, bad string) { l.Task = "nlp" + bad }},
		{"tag", func(l *types.Listing, bad string) { l.Tags = []string{"llm", bad + "vision"} }},
		{"endpoint", func(l *types.Listing, bad string) { l.Endpoint = "https://a.io/" + bad }},
		{"metadata_cid", func(l *types.Listing, bad string) { l.MetadataCid = "Qm" + bad }},
		{"version", func(l *types.Listing, bad string) { l.Version = "1.0.0" + bad }},
	} {
		for bad, code := range map[string]string{
			"\u202e": "U+202E", "\u200b": "U+200B", "\u200d": "U+200D", "\u2066": "U+2066",
			"\ufeff": "U+FEFF", "\u00a0": "U+00A0", "\u3164": "U+3164", "\u0007": "U+0007",
		} {
			l := validListing()
			tc.mut(&l, bad)
			err := types.ValidateListingFields(&l)
			require.ErrorIs(t, err, types.ErrInvisibleCharacter, "%s with %s", tc.field, code)
			require.ErrorContains(t, err, tc.field, code)
			require.ErrorContains(t, err, code, tc.field)
		}
	}
	l := validListing()
	l.Name = "模型 — résumé ✓"
	l.Description = "Line one\n\tindented — naïve 🤖"
	require.NoError(t, types.ValidateListingFields(&l))
	l.Name = "bad\xffutf8"
	require.ErrorIs(t, types.ValidateListingFields(&l), types.ErrInvisibleCharacter)
}

func TestGrantFunds(t *testing.T) {
	f := types.GrantFunds{Model: "models_fund", Agent: "agents_fund"}
	require.NoError(t, f.Validate())
	require.Equal(t, "models_fund", f.For(types.ListingKindModel))
	require.Equal(t, "agents_fund", f.For(types.ListingKindAgent))
	require.Equal(t, "", f.For(types.ListingKindUnspecified))
	require.Equal(t, []string{"models_fund", "agents_fund"}, f.Names())
	require.Error(t, types.GrantFunds{Model: "models_fund"}.Validate())
	require.Error(t, types.GrantFunds{Model: "fund", Agent: "fund"}.Validate())
}
