package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"nidan.dev/nidan/otp/vault"
)

// errNoFile is a file named on the command line that is not there.
var errNoFile = errors.New("no such file")

// missingFile words a failed open of a file the user named: a path that is
// not there is said so, not taken for a bad file.
func missingFile(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", path, errNoFile)
	}
	return nil
}

// nameHint is hint for mistakes in account names: the closest name for one
// that does not exist, the account that already holds a key, a taken name.
func nameHint(err error, c *ctx) string {
	var acct *vault.AccountError
	if !errors.As(err, &acct) {
		if errors.Is(err, errNoFile) {
			return "check the path (a screenshot tool saves to ~/Pictures or ~/Pictures/Screenshots by default)"
		}
		return ""
	}
	switch {
	case errors.Is(err, vault.ErrUnknownAccount):
		as, _ := c.accounts()
		names := make([]string, len(as))
		for i, a := range as {
			names[i] = a.Name
		}
		if near := closest(acct.Name, names); near != "" {
			return fmt.Sprintf("did you mean %q? %s", near, c.commandWith(acct.Name, near))
		}
		return "`nidan list` shows the accounts"
	case errors.Is(err, vault.ErrDuplicate) && len(c.args) > 0 && c.args[0] == "rename":
		return "choose another new name (`nidan list` shows the names in use)"
	case errors.Is(err, vault.ErrDuplicate):
		return fmt.Sprintf("choose another name, or rename the existing account: nidan rename %s NEW", shellQuote(acct.Name))
	case errors.Is(err, vault.ErrDuplicateKey):
		markets := c.addMarkets
		if markets == "" {
			markets = "all"
		}
		return fmt.Sprintf("this key is already saved as %q; to use it on other marketplaces: nidan edit %s --marketplace %s",
			acct.Name, shellQuote(acct.Name), shellQuote(markets))
	}
	return ""
}

// commandWith is the command line of this run with the argument old
// replaced by new, to be copied.
func (c *ctx) commandWith(old, new string) string {
	words := []string{"nidan"}
	done := false
	for _, a := range c.args {
		if a == old && !done {
			a, done = new, true
		}
		words = append(words, shellQuote(a))
	}
	return strings.Join(words, " ")
}
