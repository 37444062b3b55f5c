package cli

import (
	"strings"
	"testing"
)

// TestHomeHelp: `nidan help` names the home as the user's shell spells it;
// on Windows, where Go's config folder is %AppData%, never $NIDAN_HOME.
func TestHomeHelp(t *testing.T) {
	tests := []struct{ goos, want, not string }{
		{"windows", `%NIDAN_HOME%, else %AppData%\nidan`, "$"},
		{"linux", "$NIDAN_HOME", "%"},
		{"darwin", "$NIDAN_HOME", "%"},
	}
	for _, tt := range tests {
		got := homeHelp(tt.goos) + " " + envRef(tt.goos, "NIDAN_VAULT_DIR")
		if !strings.Contains(got, tt.want) || strings.Contains(got, tt.not) {
			t.Errorf("%s: %q, want %q and no %q", tt.goos, got, tt.want, tt.not)
		}
	}
}
