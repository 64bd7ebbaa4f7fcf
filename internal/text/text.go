// Package text checks user-supplied strings that other users read: listing names, tags, grant
// titles, flag reasons. A string that renders differently from its bytes (bidi overrides,
// zero-width characters, fillers) lets one listing pass itself off as another, so such
// characters are refused everywhere a name is shown.
package text

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// invisible are code points outside categories Cc, Cf, Co, Cs, Zl, Zp and the non-ASCII
// spaces that still render as nothing or as blank space.
var invisible = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x034f, Hi: 0x034f, Stride: 1}, // combining grapheme joiner
		{Lo: 0x115f, Hi: 0x1160, Stride: 1}, // hangul choseong / jungseong fillers
		{Lo: 0x17b4, Hi: 0x17b5, Stride: 1}, // khmer inherent vowels
		{Lo: 0x180b, Hi: 0x180f, Stride: 1}, // mongolian free variation selectors
		{Lo: 0x2800, Hi: 0x2800, Stride: 1}, // braille pattern blank
		{Lo: 0x3164, Hi: 0x3164, Stride: 1}, // hangul filler
		{Lo: 0xfe00, Hi: 0xfe0f, Stride: 1}, // variation selectors
		{Lo: 0xffa0, Hi: 0xffa0, Stride: 1}, // halfwidth hangul filler
	},
	R32: []unicode.Range32{
		{Lo: 0xe0100, Hi: 0xe01ef, Stride: 1}, // variation selectors supplement
	},
}

// IsInvisible reports whether r renders as nothing or as blank space other than U+0020:
// format characters (Cf: bidi controls, zero-width spaces and joiners, tag characters),
// control, private-use and surrogate code points, line and paragraph separators, non-ASCII
// spaces (Zs) and the fillers and variation selectors that display as nothing.
func IsInvisible(r rune) bool {
	switch {
	case r == ' ':
		return false
	case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs, unicode.Zl, unicode.Zp, unicode.Zs):
		return true
	case unicode.Is(invisible, r):
		return true
	case r >= 0xfff0 && r <= 0xffff: // specials and noncharacters
		return true
	case r&0xfffe == 0xfffe: // noncharacters at the end of every plane
		return true
	}
	return false
}

// CheckVisible returns an error naming the first character of s that is not valid UTF-8 or
// is invisible (see IsInvisible), with its code point and rune position. allow lists
// characters the field accepts anyway (for example '\n' and '\t' in a description).
func CheckVisible(s string, allow ...rune) error {
	pos := 0
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		if r == utf8.RuneError && size <= 1 {
			return fmt.Errorf("is not valid UTF-8 (byte %d)", i)
		}
		if IsInvisible(r) && !allowed(r, allow) {
			return fmt.Errorf("contains the invisible character U+%04X at position %d; only visible characters and plain spaces are allowed", r, pos)
		}
		pos++
	}
	return nil
}

func allowed(r rune, allow []rune) bool {
	for _, a := range allow {
		if a == r {
			return true
		}
	}
	return false
}
