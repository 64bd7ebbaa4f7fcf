package text

import (
	"strings"
	"testing"
)

func TestCheckVisible(t *testing.T) {
	ok := []string{"", "GPT-Neo 2.7B", "模型 — résumé ✓", "emoji 🤖 model", "a b"}
	for _, s := range ok {
		if err := CheckVisible(s); err != nil {
			t.Errorf("CheckVisible(%q) = %v, want nil", s, err)
		}
	}
	bad := map[string]string{
		"evil\u202egnp.exe":  "U+202E",  // right-to-left override
		"zero\u200bwidth":    "U+200B",  // zero-width space
		"join\u200d":         "U+200D",  // zero-width joiner
		"\ufeffbom":          "U+FEFF",  // byte order mark
		"nb\u00a0sp":         "U+00A0",  // no-break space
		"tag\U000E0041":      "U+E0041", // tag character
		"fill\u3164er":       "U+3164",  // hangul filler
		"vs\ufe0f":           "U+FE0F",  // variation selector
		"line\u2028sep":      "U+2028",  // line separator
		"bell\a":             "U+0007",  // control
		"private\ue000":      "U+E000",  // private use
		"soft\u00adhyphen":   "U+00AD",  // soft hyphen (Cf)
		"mongol\u180eian":    "U+180E",  // mongolian vowel separator (Cf)
		"combining\u034fcgj": "U+034F",
	}
	for s, want := range bad {
		err := CheckVisible(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckVisible(%q) = %v, want an error naming %s", s, err, want)
		}
	}
	if err := CheckVisible("bad \xff utf8"); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("invalid UTF-8 accepted: %v", err)
	}
	if err := CheckVisible("line\nbreak\ttab", '\n', '\t'); err != nil {
		t.Errorf("allowed characters refused: %v", err)
	}
	if err := CheckVisible("ab\u202ec"); err == nil || !strings.Contains(err.Error(), "position 2") {
		t.Errorf("position not reported: %v", err)
	}
}
