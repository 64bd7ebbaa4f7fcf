package keeper_test

import (
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// TestInvisibleTextRefused: a registration or update whose displayed text hides characters
// (a right-to-left override in the name, a zero-width space in a tag, ...) is refused with
// ErrInvisibleCharacter naming the field, and changes nothing.
func (s *KeeperSuite) TestInvisibleTextRefused() {
	a := s.addrs[0]
	id := s.register(modelMsg(a))
	register := func(mut func(m *types.MsgRegisterListing)) func() error {
		return func() error {
			m := modelMsg(a)
			mut(m)
			_, err := s.msgs.RegisterListing(s.ctx, m)
			return err
		}
	}
	update := func(mut func(m *types.MsgUpdateListing)) func() error {
		return func() error {
			m := &types.MsgUpdateListing{Owner: a, Id: id, Description: "d", Task: "nlp", Tags: []string{"llm"},
				Endpoint: "https://node.example.com", MetadataCid: testCIDv0, Version: "1.0.0", Access: modelMsg(a).Access}
			mut(m)
			_, err := s.msgs.UpdateListing(s.ctx, m)
			return err
		}
	}
	s.runRefusals([]errCase{
		{"register: bidi override in name", register(func(m *types.MsgRegisterListing) { m.Name = "Llama \u202eresiramuS" }),
			types.ErrInvisibleCharacter, "name \"Llama \\u202eresiramuS\" contains the invisible character U+202E at position 6"},
		{"register: zero-width space in name", register(func(m *types.MsgRegisterListing) { m.Name = "Llama\u200bSummariser" }),
			types.ErrInvisibleCharacter, "U+200B"},
		{"register: zero-width joiner in tag", register(func(m *types.MsgRegisterListing) { m.Tags = []string{"llm\u200d"} }),
			types.ErrInvisibleCharacter, "tag \"llm\\u200d\""},
		{"register: bidi isolate in description", register(func(m *types.MsgRegisterListing) { m.Description = "ok\u2067" }),
			types.ErrInvisibleCharacter, "description contains the invisible character U+2067"},
		{"update: zero-width space in task", update(func(m *types.MsgUpdateListing) { m.Task = "\u200bnlp" }),
			types.ErrInvisibleCharacter, "task"},
		{"update: BOM in version", update(func(m *types.MsgUpdateListing) { m.Version = "1.0.0\ufeff" }),
			types.ErrInvisibleCharacter, "version"},
		{"update: no-break space in tag", update(func(m *types.MsgUpdateListing) { m.Tags = []string{"a\u00a0b"} }),
			types.ErrInvisibleCharacter, "tag"},
	})
	s.Require().Equal("Llama Summariser", s.listing(id).Name)
}
