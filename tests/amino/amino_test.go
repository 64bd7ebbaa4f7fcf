// Package amino_test proves that every BalanceAI Msg signs in SIGN_MODE_LEGACY_AMINO_JSON, the
// mode Ledger and Keplr use: each Msg's proto carries the amino name it is registered under in
// the legacy amino codec, the legacy codec and the x/tx amino-JSON encoder agree on its JSON, and
// the sign bytes of a fixture instance are pinned in golden files under testdata/ (which the
// JavaScript client in client/js checks byte for byte).
//
// The Msgs come from the app's interface registry, so a newly wired module is covered at once:
// its Msgs fail here until `go test ./tests/amino -update` writes their fixtures and goldens.
package amino_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"
	protov2 "google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	"cosmossdk.io/api/amino"
	cosmosmsgv1 "cosmossdk.io/api/cosmos/msg/v1"
	"cosmossdk.io/log"
	sdkmath "cosmossdk.io/math"
	"cosmossdk.io/x/tx/signing/aminojson"

	cosmos_proto "github.com/cosmos/cosmos-proto"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"
	"github.com/cosmos/cosmos-sdk/x/auth/migrations/legacytx"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	gogoproto "github.com/cosmos/gogoproto/proto"

	"github.com/balanceai/balanceai/app"
)

// -update writes missing fixtures and rewrites the golden sign bytes in testdata/. A package the
// app imports already defines a boolean -update flag; it is then shared rather than redefined.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "write missing fixtures and rewrite the golden sign bytes in testdata/")
	}
}

func updating() bool {
	v, _ := flag.Lookup("update").Value.(flag.Getter).Get().(bool)
	return v
}

const (
	fixturesDir = "testdata/fixtures"
	goldenDir   = "testdata"
	// maxAminoNameLen is the longest amino name a Ledger device displays.
	maxAminoNameLen = 39
)

// signer is what every golden sign doc is signed with (testdata/signer.json): the JavaScript
// test signs the same fixtures with the same key and must produce the same bytes and signature.
type signer struct {
	ChainID       string `json:"chain_id"`
	AccountNumber uint64 `json:"account_number,string"`
	Sequence      uint64 `json:"sequence,string"`
	Memo          string `json:"memo"`
	Fee           struct {
		Amount []struct {
			Denom  string `json:"denom"`
			Amount string `json:"amount"`
		} `json:"amount"`
		Gas uint64 `json:"gas,string"`
	} `json:"fee"`
	Mnemonic string `json:"mnemonic"`
	HDPath   string `json:"hd_path"`
}

func newApp(t *testing.T) *app.App {
	t.Helper()
	return app.New(log.NewNopLogger(), dbm.NewMemDB(), nil, true, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()))
}

// customMsgs returns the type URLs of every BalanceAI Msg the app registers, sorted.
func customMsgs(a *app.App) []string {
	var urls []string
	for _, u := range a.InterfaceRegistry().ListImplementations(sdk.MsgInterfaceProtoName) {
		if strings.HasPrefix(u, "/balanceai.") {
			urls = append(urls, u)
		}
	}
	sort.Strings(urls)
	return urls
}

// moduleOf returns "marketplace" for "/balanceai.marketplace.v1.MsgX".
func moduleOf(typeURL string) string {
	return strings.Split(strings.TrimPrefix(typeURL, "/"), ".")[1]
}

func msgDescriptor(t *testing.T, a *app.App, typeURL string) protoreflect.MessageDescriptor {
	t.Helper()
	d, err := a.InterfaceRegistry().FindDescriptorByName(protoreflect.FullName(strings.TrimPrefix(typeURL, "/")))
	require.NoError(t, err, typeURL)
	md, ok := d.(protoreflect.MessageDescriptor)
	require.True(t, ok, typeURL)
	return md
}

// TestAminoNames checks, for every custom Msg, the proto annotations wallets rely on: a signer,
// an amino.name `bai/<module>/MsgX` of at most 39 characters, and that name equal to the one
// the Msg is registered under in the app's legacy amino codec.
func TestAminoNames(t *testing.T) {
	a := newApp(t)
	msgs := customMsgs(a)
	require.NotEmpty(t, msgs)

	// Every modules this app wires must have Msgs here (a module with none would be a wiring slip).
	modules := map[string]bool{}
	for _, u := range msgs {
		modules[moduleOf(u)] = true
	}
	for _, m := range []string{"emission", "marketplace", "bridge", "access"} {
		require.True(t, modules[m], "no Msg of x/%s in the interface registry", m)
	}

	// The SDK's own check, on our proto files only: every Msg service is annotated.
	require.NoError(t, msgservice.ValidateProtoAnnotations(balanceaiFiles{a}))

	for _, typeURL := range msgs {
		md := msgDescriptor(t, a, typeURL)
		name, ok := protov2.GetExtension(md.Options(), amino.E_Name).(string)
		require.True(t, ok && name != "", "%s has no (amino.name)", typeURL)
		require.LessOrEqual(t, len(name), maxAminoNameLen, "%s: amino name %q is longer than %d characters", typeURL, name, maxAminoNameLen)
		want := fmt.Sprintf("bai/%s/%s", moduleOf(typeURL), md.Name())
		require.Equal(t, want, name, "%s: amino name", typeURL)

		signers, _ := protov2.GetExtension(md.Options(), cosmosmsgv1.E_Signer).([]string)
		require.NotEmpty(t, signers, "%s has no (cosmos.msg.v1.signer)", typeURL)

		msg := newMsg(t, a, typeURL)
		bz, err := a.LegacyAmino().MarshalJSON(msg)
		require.NoError(t, err, "%s is not registered with the legacy amino codec", typeURL)
		var wrapped struct {
			Type string `json:"type"`
		}
		require.NoError(t, json.Unmarshal(bz, &wrapped))
		require.Equal(t, name, wrapped.Type, "%s: the legacy amino registration differs from (amino.name)", typeURL)
	}
}

// TestAminoJSONSignBytes signs a fixture of every custom Msg in SIGN_MODE_LEGACY_AMINO_JSON
// through the app's TxConfig, checks the bytes equal the legacy StdSignBytes and the golden
// file, and that the legacy codec's JSON of the Msg equals the x/tx encoder's.
func TestAminoJSONSignBytes(t *testing.T) {
	a := newApp(t)
	s := readSigner(t)
	msgs := customMsgs(a)
	known := map[string]bool{}
	for _, u := range msgs {
		known[strings.TrimPrefix(u, "/")] = true
	}

	if updating() {
		for _, typeURL := range msgs {
			writeMissingFixtures(t, a, typeURL)
		}
	}

	fixtures := listFixtures(t)
	for _, typeURL := range msgs {
		require.Contains(t, fixtures, strings.TrimPrefix(typeURL, "/"),
			"%s has no fixture in %s: run `go test ./tests/amino -update` to write one", typeURL, fixturesDir)
	}

	priv := signerKey(t, s)
	legacytx.RegressionTestingAminoCodec = a.LegacyAmino()
	encoder := aminojson.NewEncoder(aminojson.EncoderOptions{
		FileResolver:    a.InterfaceRegistry(),
		DoNotSortFields: true,
	})

	for typeName, files := range fixtures {
		if !known[typeName] {
			// A fixture of a module not wired yet: it is picked up once the module is.
			t.Logf("fixture for %s, which the app does not register (yet)", typeName)
			continue
		}
		for _, file := range files {
			t.Run(file, func(t *testing.T) {
				typeURL := "/" + typeName
				msg := newMsg(t, a, typeURL)
				bz, err := os.ReadFile(filepath.Join(fixturesDir, file))
				require.NoError(t, err)
				require.NoError(t, a.AppCodec().UnmarshalJSON(bz, msg), "fixture %s", file)

				// The legacy codec (what amino-JSON signing meant before x/tx) and the x/tx
				// encoder (what the chain verifies with) must agree on the Msg's JSON.
				legacyJSON, err := a.LegacyAmino().MarshalJSON(msg)
				require.NoError(t, err)
				txJSON, err := encoder.Marshal(toDynamic(t, a, msg))
				require.NoError(t, err)
				adjusted := applyKnownDivergence(t, msgDescriptor(t, a, typeURL), legacyJSON)
				require.Equal(t, string(adjusted), string(txJSON), "legacy amino JSON vs x/tx aminojson for %s", file)

				signBytes := signBytes(t, a, s, msg)
				legacyBytes := legacytx.StdSignBytes(s.ChainID, s.AccountNumber, s.Sequence, 0, stdFee(t, s), []sdk.Msg{msg}, s.Memo)
				legacyBytes = bytes.Replace(legacyBytes, sdk.MustSortJSON(legacyJSON), sdk.MustSortJSON(adjusted), 1)
				require.Equal(t, string(legacyBytes), string(signBytes), "TxConfig sign bytes vs legacytx.StdSignBytes")

				sig, err := priv.Sign(signBytes)
				require.NoError(t, err)
				require.True(t, priv.PubKey().VerifySignature(signBytes, sig))

				base := strings.TrimSuffix(file, ".json")
				goldenPath := filepath.Join(goldenDir, base+".json")
				sigPath := filepath.Join(goldenDir, base+".sig")
				sigText := base64.StdEncoding.EncodeToString(sig) + "\n"
				if updating() {
					require.NoError(t, os.WriteFile(goldenPath, signBytes, 0o644))
					require.NoError(t, os.WriteFile(sigPath, []byte(sigText), 0o644))
				}
				golden, err := os.ReadFile(goldenPath)
				require.NoError(t, err, "no golden sign bytes: run `go test ./tests/amino -update`")
				require.Equal(t, string(golden), string(signBytes), "sign bytes of %s changed: a wallet-visible change (run -update only if intended)", file)
				goldenSig, err := os.ReadFile(sigPath)
				require.NoError(t, err)
				require.Equal(t, string(goldenSig), sigText)
			})
		}
	}
}

// TestGoldenFilesHaveFixtures keeps testdata/ free of goldens whose fixture was removed.
func TestGoldenFilesHaveFixtures(t *testing.T) {
	entries, err := os.ReadDir(goldenDir)
	require.NoError(t, err)
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || name == "signer.json" || !(strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".sig")) {
			continue
		}
		base := strings.TrimSuffix(strings.TrimSuffix(name, ".json"), ".sig")
		_, err := os.Stat(filepath.Join(fixturesDir, base+".json"))
		require.NoError(t, err, "golden %s has no fixture", name)
	}
}

func readSigner(t *testing.T) signer {
	t.Helper()
	bz, err := os.ReadFile(filepath.Join(goldenDir, "signer.json"))
	require.NoError(t, err)
	var s signer
	require.NoError(t, json.Unmarshal(bz, &s))
	return s
}

func signerKey(t *testing.T, s signer) *secp256k1.PrivKey {
	t.Helper()
	bz, err := hd.Secp256k1.Derive()(s.Mnemonic, "", s.HDPath)
	require.NoError(t, err)
	return &secp256k1.PrivKey{Key: bz}
}

func stdFee(t *testing.T, s signer) legacytx.StdFee {
	t.Helper()
	var coins sdk.Coins
	for _, c := range s.Fee.Amount {
		amt, ok := sdkmath.NewIntFromString(c.Amount)
		require.True(t, ok)
		coins = append(coins, sdk.NewCoin(c.Denom, amt))
	}
	return legacytx.NewStdFee(s.Fee.Gas, coins)
}

// signBytes builds a one-Msg tx with the app's TxConfig and returns its amino-JSON sign bytes,
// exactly as the ante handler recomputes them to verify a signature.
func signBytes(t *testing.T, a *app.App, s signer, msg sdk.Msg) []byte {
	t.Helper()
	b := a.TxConfig().NewTxBuilder()
	require.NoError(t, b.SetMsgs(msg))
	b.SetFeeAmount(stdFee(t, s).Amount)
	b.SetGasLimit(s.Fee.Gas)
	b.SetMemo(s.Memo)
	priv := signerKey(t, s)
	data := authsigning.SignerData{
		Address:       sdk.AccAddress(priv.PubKey().Address()).String(),
		ChainID:       s.ChainID,
		AccountNumber: s.AccountNumber,
		Sequence:      s.Sequence,
		PubKey:        priv.PubKey(),
	}
	bz, err := authsigning.GetSignBytesAdapter(context.Background(), a.TxConfig().SignModeHandler(),
		signingtypes.SignMode_SIGN_MODE_LEGACY_AMINO_JSON, data, b.GetTx())
	require.NoError(t, err)
	return bz
}

func newMsg(t *testing.T, a *app.App, typeURL string) sdk.Msg {
	t.Helper()
	m, err := a.InterfaceRegistry().Resolve(typeURL)
	require.NoError(t, err, typeURL)
	msg, ok := m.(sdk.Msg)
	require.True(t, ok, typeURL)
	return msg
}

// toDynamic turns a gogo Msg into a protoreflect message through its wire bytes, as the chain
// sees a tx it decodes.
func toDynamic(t *testing.T, a *app.App, msg sdk.Msg) *dynamicpb.Message {
	t.Helper()
	bz, err := gogoproto.Marshal(msg)
	require.NoError(t, err)
	dm := dynamicpb.NewMessage(msgDescriptor(t, a, "/"+gogoproto.MessageName(msg)))
	require.NoError(t, protov2.Unmarshal(bz, dm))
	return dm
}

var fixtureName = regexp.MustCompile(`^(balanceai\.[a-z0-9_]+\.v[0-9]+\.Msg[A-Za-z0-9]+)(@[a-z0-9-]+)?\.json$`)

// listFixtures maps each Msg full name to its fixture files: `<full name>.json` and variants
// `<full name>@<variant>.json`.
func listFixtures(t *testing.T) map[string][]string {
	t.Helper()
	entries, err := os.ReadDir(fixturesDir)
	require.NoError(t, err)
	out := map[string][]string{}
	for _, e := range entries {
		m := fixtureName.FindStringSubmatch(e.Name())
		require.NotNil(t, m, "unexpected file %s in %s", e.Name(), fixturesDir)
		out[m[1]] = append(out[m[1]], e.Name())
	}
	return out
}

// writeMissingFixtures writes, for a Msg with no fixture yet, a full one (every field set,
// 64-bit numbers past 2^53, nested messages, two elements in each list) and an `@zero` one (the
// Msg with nothing set) that exercises the omitempty rules. Existing fixtures are never
// rewritten: edit them by hand.
func writeMissingFixtures(t *testing.T, a *app.App, typeURL string) {
	t.Helper()
	name := strings.TrimPrefix(typeURL, "/")
	md := msgDescriptor(t, a, typeURL)
	for _, variant := range []struct {
		file string
		fill bool
	}{{name + ".json", true}, {name + "@zero.json", false}} {
		path := filepath.Join(fixturesDir, variant.file)
		if _, err := os.Stat(path); err == nil {
			continue
		}
		dm := dynamicpb.NewMessage(md)
		if variant.fill {
			fill(dm, 0)
		}
		bz, err := protov2.Marshal(dm)
		require.NoError(t, err)
		msg := newMsg(t, a, typeURL)
		require.NoError(t, gogoproto.Unmarshal(bz, msg))
		js, err := a.AppCodec().MarshalJSON(msg)
		require.NoError(t, err)
		var pretty bytes.Buffer
		require.NoError(t, json.Indent(&pretty, js, "", "  "))
		pretty.WriteString("\n")
		require.NoError(t, os.MkdirAll(fixturesDir, 0o755))
		require.NoError(t, os.WriteFile(path, pretty.Bytes(), 0o644))
		t.Logf("wrote %s", path)
	}
}

// fill sets every field of m to a recognisable non-zero value.
func fill(m protoreflect.Message, depth int) {
	fields := m.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		f := fields.Get(i)
		if f.IsMap() || (f.Kind() == protoreflect.MessageKind && f.Message().FullName() == "google.protobuf.Any") {
			continue
		}
		if f.Kind() == protoreflect.MessageKind && depth > 3 {
			continue
		}
		if f.IsList() {
			list := m.Mutable(f).List()
			for j := 0; j < 2; j++ {
				if f.Kind() == protoreflect.MessageKind {
					el := list.NewElement()
					fillMessage(el.Message(), depth+1)
					list.Append(el)
				} else {
					list.Append(scalar(f, j))
				}
			}
			continue
		}
		if f.Kind() == protoreflect.MessageKind {
			fillMessage(m.Mutable(f).Message(), depth+1)
			continue
		}
		m.Set(f, scalar(f, 0))
	}
}

func fillMessage(m protoreflect.Message, depth int) {
	switch m.Descriptor().FullName() {
	case "google.protobuf.Timestamp":
		m.Set(m.Descriptor().Fields().ByName("seconds"), protoreflect.ValueOfInt64(1_700_000_000))
		m.Set(m.Descriptor().Fields().ByName("nanos"), protoreflect.ValueOfInt32(250_000_000))
	case "google.protobuf.Duration":
		m.Set(m.Descriptor().Fields().ByName("seconds"), protoreflect.ValueOfInt64(86_400))
	default:
		fill(m, depth)
	}
}

// scalar returns the j-th sample value of a scalar field.
func scalar(f protoreflect.FieldDescriptor, j int) protoreflect.Value {
	n := int64(f.Number()) + int64(j)
	switch f.Kind() {
	case protoreflect.StringKind:
		scalarType, _ := protov2.GetExtension(f.Options(), cosmos_proto.E_Scalar).(string)
		switch {
		case scalarType == "cosmos.AddressString":
			return protoreflect.ValueOfString(sampleAddress(sdk.GetConfig().GetBech32AccountAddrPrefix(), n))
		case scalarType == "cosmos.ValidatorAddressString":
			return protoreflect.ValueOfString(sampleAddress(sdk.GetConfig().GetBech32ValidatorAddrPrefix(), n))
		case scalarType == "cosmos.Int":
			return protoreflect.ValueOfString(fmt.Sprintf("%d000000", n))
		case scalarType == "cosmos.Dec":
			// gogo LegacyDec's wire form: the 18-decimal fixed-point integer (0.0n here).
			return protoreflect.ValueOfString(fmt.Sprintf("%d0000000000000000", n))
		case f.Name() == "denom":
			return protoreflect.ValueOfString("ubai")
		default:
			return protoreflect.ValueOfString(fmt.Sprintf("%s <%d> & \"more\"", f.Name(), n))
		}
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(true)
	case protoreflect.EnumKind:
		ed := f.Enum()
		if ed.IsPlaceholder() {
			// A file registered before the one defining the enum refers to it by name only.
			d, err := gogoproto.HybridResolver.FindDescriptorByName(ed.FullName())
			if err != nil {
				panic(err)
			}
			ed = d.(protoreflect.EnumDescriptor)
		}
		vals := ed.Values()
		return protoreflect.ValueOfEnum(vals.Get(min(vals.Len()-1, 1+j)).Number())
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(n))
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(n))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(1<<53 + n)
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(1<<53 + uint64(n))
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes([]byte{0xba, 0x1, byte(n)})
	case protoreflect.DoubleKind, protoreflect.FloatKind:
		panic(fmt.Sprintf("floats have no place in a Msg: %s", f.FullName()))
	}
	panic(fmt.Sprintf("unhandled kind %s of %s", f.Kind(), f.FullName()))
}

func sampleAddress(prefix string, n int64) string {
	addr := bytes.Repeat([]byte{byte(n)}, 20)
	s, err := sdk.Bech32ifyAddressBytes(prefix, addr)
	if err != nil {
		panic(err)
	}
	return s
}

// balanceaiFiles is the app's proto file resolver restricted to our own files.
type balanceaiFiles struct{ a *app.App }

func (b balanceaiFiles) FindFileByPath(p string) (protoreflect.FileDescriptor, error) {
	return b.a.InterfaceRegistry().FindFileByPath(p)
}

func (b balanceaiFiles) FindDescriptorByName(n protoreflect.FullName) (protoreflect.Descriptor, error) {
	return b.a.InterfaceRegistry().FindDescriptorByName(n)
}

func (b balanceaiFiles) RangeFiles(f func(protoreflect.FileDescriptor) bool) {
	b.a.InterfaceRegistry().RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if !strings.HasPrefix(string(fd.Package()), "balanceai.") {
			return true
		}
		return f(fd)
	})
}

// applyKnownDivergence rewrites the one known, harmless difference between the legacy amino
// codec and x/tx in the legacy JSON: an empty non-nullable repeated message field marked
// (amino.dont_omitempty) is `[]` for the legacy codec (gogo gives the field no omitempty tag) and
// `null` for x/tx, which is what the chain verifies and the golden files hold. Every Msg with
// such a field (MsgRecordUsage.records, MsgRevealScores.scores, MsgSubmitGrant.milestones) is
// refused by its module when the list is empty, so no valid transaction is affected. Anything
// else must match byte for byte.
func applyKnownDivergence(t *testing.T, md protoreflect.MessageDescriptor, legacy []byte) []byte {
	t.Helper()
	var wrapped struct {
		Type  string          `json:"type"`
		Value json.RawMessage `json:"value"`
	}
	require.NoError(t, json.Unmarshal(legacy, &wrapped))
	value := rewriteEmptyLists(t, md, wrapped.Value)
	out, err := json.Marshal(struct {
		Type  string          `json:"type"`
		Value json.RawMessage `json:"value"`
	}{wrapped.Type, value})
	require.NoError(t, err)
	return out
}

func rewriteEmptyLists(t *testing.T, md protoreflect.MessageDescriptor, raw json.RawMessage) json.RawMessage {
	t.Helper()
	if md.FullName() == "google.protobuf.Timestamp" || md.FullName() == "google.protobuf.Duration" {
		return raw
	}
	// Decode keeping the legacy field order: the comparison is byte for byte.
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	require.NoError(t, err)
	if tok != json.Delim('{') {
		return raw
	}
	var out bytes.Buffer
	out.WriteString("{")
	first := true
	for dec.More() {
		keyTok, err := dec.Token()
		require.NoError(t, err)
		key := keyTok.(string)
		var val json.RawMessage
		require.NoError(t, dec.Decode(&val))
		if f := fieldByAminoName(md, key); f != nil && f.Kind() == protoreflect.MessageKind {
			switch {
			case f.IsList() && string(val) == "[]" && !omitEmptyField(f) && !protov2.HasExtension(f.Options(), amino.E_Encoding):
				val = json.RawMessage("null")
			case f.IsList():
				var els []json.RawMessage
				if json.Unmarshal(val, &els) == nil && len(els) > 0 {
					for i := range els {
						els[i] = rewriteEmptyLists(t, f.Message(), els[i])
					}
					val, err = json.Marshal(els)
					require.NoError(t, err)
				}
			case !f.IsMap():
				val = rewriteEmptyLists(t, f.Message(), val)
			}
		}
		if !first {
			out.WriteString(",")
		}
		first = false
		k, _ := json.Marshal(key)
		out.Write(k)
		out.WriteString(":")
		out.Write(val)
	}
	out.WriteString("}")
	return out.Bytes()
}

func fieldByAminoName(md protoreflect.MessageDescriptor, name string) protoreflect.FieldDescriptor {
	fields := md.Fields()
	for i := 0; i < fields.Len(); i++ {
		f := fields.Get(i)
		n := string(f.Name())
		if fn, ok := protov2.GetExtension(f.Options(), amino.E_FieldName).(string); ok && fn != "" {
			n = fn
		}
		if n == name {
			return f
		}
	}
	return nil
}

func omitEmptyField(f protoreflect.FieldDescriptor) bool {
	v, ok := protov2.GetExtension(f.Options(), amino.E_DontOmitempty).(bool)
	return !(ok && v)
}
