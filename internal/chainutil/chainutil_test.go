package chainutil_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/balanceai/balanceai/internal/chainutil"
)

func TestWholeSecond(t *testing.T) {
	whole := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		in, want time.Time
	}{
		{whole, whole},
		{whole.Add(time.Nanosecond), whole.Add(time.Second)},
		{whole.Add(999_999_999), whole.Add(time.Second)},
		{whole.Add(-time.Nanosecond), whole},
	}
	for _, c := range cases {
		if got := chainutil.WholeSecond(c.in); !got.Equal(c.want) {
			t.Errorf("WholeSecond(%s) = %s, want %s", c.in, got, c.want)
		}
		if got := chainutil.QueueSecond(c.in); got != c.want.Unix() {
			t.Errorf("QueueSecond(%s) = %d, want %d", c.in, got, c.want.Unix())
		}
	}
	if k := chainutil.QueueKeyAt(whole.Add(time.Millisecond), 7); k.K1() != whole.Unix()+1 || k.K2() != 7 {
		t.Errorf("QueueKeyAt = (%d, %d), want (%d, 7)", k.K1(), k.K2(), whole.Unix()+1)
	}
}

func TestDueKeys(t *testing.T) {
	key := storetypes.NewKVStoreKey("test")
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test")).Ctx
	sb := collections.NewSchemaBuilder(runtime.NewKVStoreService(key))
	q := chainutil.NewQueue(sb, collections.NewPrefix(0), "queue")
	if _, err := sb.Build(); err != nil {
		t.Fatal(err)
	}

	base := time.Unix(1_000, 0).UTC()
	// Due at 1000 (ids 2, 1), 1000.5 (rounded up to 1001, id 3), 1002 (id 4).
	for _, e := range []struct {
		at time.Time
		id uint64
	}{{base, 2}, {base, 1}, {base.Add(500 * time.Millisecond), 3}, {base.Add(2 * time.Second), 4}} {
		if err := q.Set(ctx, chainutil.QueueKeyAt(e.at, e.id)); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(now time.Time, limit uint64) []uint64 {
		t.Helper()
		keys, err := chainutil.DueKeys(ctx, q, now, limit)
		if err != nil {
			t.Fatal(err)
		}
		out := []uint64{}
		for _, k := range keys {
			out = append(out, k.K2())
		}
		return out
	}
	check := func(name string, got, want []uint64) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: got %v, want %v", name, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: got %v, want %v", name, got, want)
			}
		}
	}
	check("before anything is due", ids(base.Add(-time.Nanosecond), 10), []uint64{})
	check("at the second, oldest first then by id", ids(base, 10), []uint64{1, 2})
	// Inside second 1000 the entry due at 1000.5 is not due yet: its key is 1001.
	check("inside the second", ids(base.Add(600*time.Millisecond), 10), []uint64{1, 2})
	check("next second", ids(base.Add(time.Second), 10), []uint64{1, 2, 3})
	check("limit", ids(base.Add(time.Hour), 3), []uint64{1, 2, 3})
	check("zero limit", ids(base.Add(time.Hour), 0), []uint64{})
	check("everything", ids(base.Add(time.Hour), 100), []uint64{1, 2, 3, 4})
}

func TestCheckAuthority(t *testing.T) {
	if err := chainutil.CheckAuthority("gov", "gov"); err != nil {
		t.Fatalf("authority refused: %v", err)
	}
	err := chainutil.CheckAuthority("gov", "someone")
	if !errors.Is(err, govtypes.ErrInvalidSigner) {
		t.Fatalf("got %v, want ErrInvalidSigner", err)
	}
}

func TestDecodeAddress(t *testing.T) {
	errBad := errorsmod.Register("chainutil_test", 2, "bad address")
	ac := address.NewBech32Codec("bai")
	raw := sdk.AccAddress([]byte("addr________________"))
	canon, err := ac.BytesToString(raw)
	if err != nil {
		t.Fatal(err)
	}

	for _, in := range []string{canon, upper(canon)} {
		bz, s, err := chainutil.DecodeAddress(ac, "owner", in, errBad)
		if err != nil {
			t.Fatalf("DecodeAddress(%q): %v", in, err)
		}
		if !bz.Equals(raw) || s != canon {
			t.Fatalf("DecodeAddress(%q) = (%x, %q), want (%x, %q)", in, bz, s, raw, canon)
		}
	}
	for _, in := range []string{"", "bai1notanaddress", "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"} {
		if _, _, err := chainutil.DecodeAddress(ac, "owner", in, errBad); !errors.Is(err, errBad) {
			t.Fatalf("DecodeAddress(%q) = %v, want the given error", in, err)
		}
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func TestAddressString(t *testing.T) {
	errBad := errorsmod.Register("chainutil_test", 3, "bad address")
	ac := address.NewBech32Codec("bai")
	raw := sdk.AccAddress([]byte("addr________________"))
	want, err := ac.BytesToString(raw)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := chainutil.AddressString(ac, raw, errBad); err != nil || got != want {
		t.Fatalf("AddressString = %q, %v; want %q", got, err, want)
	}
	if _, err := chainutil.AddressString(ac, nil, errBad); !errors.Is(err, errBad) {
		t.Fatalf("AddressString(nil) = %v, want the given error", err)
	}
}

func TestUpdateParams(t *testing.T) {
	key := storetypes.NewKVStoreKey("params_test")
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_params_test")).Ctx
	var stored []int
	set := func(_ context.Context, p int) error { stored = append(stored, p); return nil }
	errBad := errors.New("negative")
	check := func(p int) error {
		if p < 0 {
			return errBad
		}
		return nil
	}
	event := &sdk.Coin{Denom: "ubai"}

	// Refused signer, refused params: nothing stored, no event.
	if err := chainutil.UpdateParams(ctx, "gov", "someone", 1, check, set, event); !errors.Is(err, govtypes.ErrInvalidSigner) {
		t.Fatalf("got %v, want ErrInvalidSigner", err)
	}
	if err := chainutil.UpdateParams(ctx, "gov", "gov", -1, check, set, event); !errors.Is(err, errBad) {
		t.Fatalf("got %v, want the check's error", err)
	}
	if len(stored) != 0 || len(ctx.EventManager().Events()) != 0 {
		t.Fatalf("a refused update wrote %v and emitted %d events", stored, len(ctx.EventManager().Events()))
	}
	if err := chainutil.UpdateParams(ctx, "gov", "gov", 7, check, set, event); err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 || stored[0] != 7 {
		t.Fatalf("stored %v, want [7]", stored)
	}
	if evs := ctx.EventManager().Events(); len(evs) != 1 || evs[0].Type != "cosmos.base.v1beta1.Coin" {
		t.Fatalf("events %v, want one typed event", evs)
	}
}

func TestCheckCanonical(t *testing.T) {
	s := sdk.AccAddress([]byte("addr________________")).String() // the configured prefix
	if err := chainutil.CheckCanonical(s); err != nil {
		t.Fatalf("CheckCanonical(%q) = %v", s, err)
	}
	for _, bad := range []string{strings.ToUpper(s), "", "not-an-address"} {
		if err := chainutil.CheckCanonical(bad); err == nil {
			t.Fatalf("CheckCanonical(%q) accepted", bad)
		}
	}
}
